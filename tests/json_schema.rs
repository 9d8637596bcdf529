//! Every `--json` document, read back into mirror types that refuse unknown fields and require
//! every documented one (src/output/schema.rs; README's "JSON output"): a key added, renamed or
//! dropped by accident fails here.

use crate::common;
use crate::eras::{env_for, leader};

use common::Run;
use common::lab::{Lab, Web};
use serde::Deserialize;
use serde::de::DeserializeOwned;

/// `stdout` is exactly one document of type `T`.
fn doc<T: DeserializeOwned>(run: &Run) -> T {
    serde_json::from_str(&run.stdout)
        .unwrap_or_else(|e| panic!("{e}: stdout {}\nstderr {}", run.stdout, run.stderr))
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
#[allow(dead_code)]
struct UnitOutcome {
    unit: String,
    address: Option<String>,
    via: Option<String>,
    ok: bool,
    message: String,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
#[allow(dead_code)]
struct SyncedUnit {
    unit: String,
    address: Option<String>,
    via: Option<String>,
    ok: bool,
    message: String,
    release: Option<String>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
#[allow(dead_code)]
struct Outcomes<U> {
    command: String,
    units: Vec<U>,
    failed: Vec<String>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
#[allow(dead_code)]
struct NotBack {
    unit: String,
    why: String,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
#[allow(dead_code)]
struct Rebooted {
    command: String,
    dry_run: bool,
    units: Vec<UnitOutcome>,
    failed: Vec<String>,
    not_back: Vec<NotBack>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
#[allow(dead_code)]
struct ShutDown {
    command: String,
    dry_run: bool,
    units: Vec<UnitOutcome>,
    failed: Vec<String>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
#[allow(dead_code)]
struct SyncedClock {
    ok: bool,
    via: Option<String>,
    message: String,
    offset_before: f64,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
#[allow(dead_code)]
struct ClockRow {
    unit: String,
    address: Option<String>,
    leader: bool,
    via: Option<String>,
    offset: Option<f64>,
    round_trip: Option<f64>,
    synchronized: Option<bool>,
    beyond: bool,
    error: Option<String>,
    synced: Option<SyncedClock>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
#[allow(dead_code)]
struct ClockReport {
    command: String,
    dry_run: bool,
    sync: bool,
    tolerance: f64,
    leader: String,
    units: Vec<ClockRow>,
    plan: Vec<PlannedAction>,
    beyond: Vec<String>,
    failed: Vec<String>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
#[allow(dead_code)]
struct PlannedAction {
    unit: String,
    address: String,
    action: String,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
#[allow(dead_code)]
struct ActionPlan {
    command: String,
    dry_run: bool,
    units: Vec<PlannedAction>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
#[allow(dead_code)]
struct UnitUpdate {
    unit: String,
    role: String,
    state: String,
    release_before: Option<String>,
    release_after: Option<String>,
    error: Option<String>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
#[allow(dead_code)]
struct Updated {
    command: String,
    dry_run: bool,
    version: Option<String>,
    units: Vec<UnitUpdate>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
#[allow(dead_code)]
struct RenamePlan {
    command: String,
    dry_run: bool,
    old: String,
    new: String,
    plan: Vec<String>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
#[allow(dead_code)]
struct StatusRow {
    name: String,
    reachable: bool,
    via: Option<String>,
    address: Option<String>,
    version: Option<String>,
    release: Option<String>,
    active: bool,
    leader: bool,
    error: Option<String>,
    monitor: Option<String>,
    rpi_model: Option<String>,
    wlan_mac: Option<String>,
    eth_mac: Option<String>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
#[allow(dead_code)]
struct Worker {
    name: String,
    active: bool,
    address: String,
    address_source: String,
    leader: bool,
    model_name: Option<String>,
    model_version: Option<String>,
    experiment: Option<String>,
    release: Option<String>,
    flaw: Option<String>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
#[allow(dead_code)]
struct Model {
    model_name: Option<String>,
    model_version: Option<String>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
#[allow(dead_code)]
struct ModelSet {
    command: String,
    unit: String,
    model_name: String,
    model_version: String,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
#[allow(dead_code)]
struct Assigned {
    command: String,
    unit: String,
    experiment: Option<String>,
    changed: bool,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
#[allow(dead_code)]
struct Changes {
    command: String,
    inventory: String,
    config: String,
    dry_run: bool,
    changed: bool,
    created_config: bool,
    changes: Vec<Change>,
    diff: Option<String>,
}

#[derive(Deserialize, Debug, PartialEq)]
#[serde(tag = "action", rename_all = "snake_case", deny_unknown_fields)]
enum Change {
    AddWorker {
        name: String,
        active: bool,
    },
    SetActive {
        name: String,
        active: bool,
    },
    SetAddress {
        name: String,
        old: Option<String>,
        new: String,
    },
    RemoveWorker {
        name: String,
    },
    RemoveAddress {
        name: String,
        address: String,
    },
    RenameWorker {
        old: String,
        new: String,
    },
    SetModel {
        name: String,
        model_name: String,
        model_version: String,
    },
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
#[allow(dead_code)]
struct Check {
    unit: String,
    check: String,
    verdict: String,
    detail: String,
    fix: Option<String>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
#[allow(dead_code)]
pub(crate) struct Discovered {
    pub name: String,
    pub address: Option<String>,
    pub in_inventory: bool,
}

#[test]
fn every_command_of_the_config_ini_era_prints_its_documented_schema() {
    let lab = Lab::start(&["leader1", "pio02", "pio03"], 230, &[Web::Down; 3]);
    lab.write_config("leader1");
    lab.trust_all();
    let env = &lab.env;
    let json = |args: &[&str]| {
        let mut all = vec!["--json"];
        all.extend_from_slice(args);
        env.run(&all)
    };
    let list: Vec<Worker> = doc(json(&["workers", "list"]).ok());
    assert_eq!(list.len(), 3);
    let status: Vec<StatusRow> = doc(json(&["workers", "status"]).ok());
    assert!(status.iter().all(|r| r.reachable), "{}", status.len());
    let plan: ActionPlan = doc(json(&["reboot", "pio02", "--dry-run"]).ok());
    assert!(plan.dry_run && plan.units.len() == 1);
    let rebooted: Rebooted = doc(json(&["reboot", "pio02", "--yes"]).ok());
    assert!(!rebooted.dry_run && rebooted.units[0].ok);
    let plan: ActionPlan = doc(json(&["shutdown", "pio02", "--dry-run"]).ok());
    assert!(plan.dry_run && plan.command == "shutdown");
    let shut: ShutDown = doc(json(&["shutdown", "pio02", "--yes"]).ok());
    assert!(!shut.dry_run && shut.units[0].ok && shut.failed.is_empty());
    let clocks: ClockReport = doc(json(&["clock"]).ok());
    assert_eq!(clocks.units.len(), 3);
    let planned: ClockReport =
        doc(json(&["clock", "--sync", "--dry-run", "--tolerance", "0"]).code(1));
    assert_eq!(planned.plan.len(), 2);
    let synced: ClockReport = doc(json(&["clock", "pio02", "--sync", "--tolerance", "0"]).code(1));
    assert!(synced.units[1].synced.as_ref().is_some_and(|s| s.ok));
    let blinked: Outcomes<UnitOutcome> = doc(json(&["identify", "pio03"]).ok());
    assert_eq!(blinked.command, "identify");
    // (A 24.3 unit has no repair: the document names it failed.)
    let repaired: Outcomes<UnitOutcome> = doc(&json(&["repair", "pio03"]));
    assert_eq!(
        (repaired.command.as_str(), repaired.failed.len()),
        ("repair", 1)
    );
    let synced: Outcomes<SyncedUnit> = doc(json(&["workers", "sync-configs", "--all"]).ok());
    assert_eq!(synced.units.len(), 2);
    let renamed: RenamePlan = doc(json(&["rename", "pio02", "pio09", "--dry-run"]).ok());
    assert_eq!(
        (renamed.old.as_str(), renamed.new.as_str()),
        ("pio02", "pio09")
    );
    let checks: Vec<Check> = doc(&json(&["doctor"]));
    assert!(checks.iter().any(|c| c.check == "ssh"));
    let order: Updated = doc(json(&["cluster", "update", "--dry-run"]).ok());
    let roles: Vec<&str> = order.units.iter().map(|u| u.role.as_str()).collect();
    assert_eq!(
        (order.dry_run, roles),
        (true, vec!["worker", "worker", "leader"])
    );
    let updated: Updated = doc(json(&["cluster", "update", "--version", "26.11.1", "--yes"]).ok());
    assert!(updated.units.iter().all(|u| u.state == "updated"));

    let added: Changes =
        doc(json(&["workers", "add", "pio07", "-a", "127.0.0.9", "--offline"]).ok());
    assert_eq!(
        added.changes,
        [
            Change::AddWorker {
                name: "pio07".into(),
                active: true
            },
            Change::SetAddress {
                name: "pio07".into(),
                old: None,
                new: "127.0.0.9".into()
            }
        ]
    );
    let dry: Changes = doc(json(&[
        "workers",
        "set-active",
        "pio07",
        "0",
        "--offline",
        "--dry-run",
    ])
    .ok());
    assert!(dry.dry_run && dry.diff.is_some_and(|d| d.contains("-pio07=1")));
    let set: Changes = doc(json(&["workers", "set-active", "pio07", "0", "--offline"]).ok());
    assert!(set.changed && set.diff.is_none());
    let removed: Changes = doc(json(&["workers", "remove", "pio07", "--offline"]).ok());
    assert!(matches!(removed.changes[0], Change::RemoveWorker { .. }));
}

#[test]
fn every_command_of_the_database_era_prints_its_documented_schema() {
    let api = leader();
    let (env, _) = env_for(&api);
    let json = |args: &[&str]| {
        let mut all = vec!["--json"];
        all.extend_from_slice(args);
        env.run(&all)
    };
    let list: Vec<Worker> = doc(json(&["workers", "list"]).ok());
    let pio02 = list.iter().find(|w| w.name == "pio02").unwrap();
    assert_eq!(pio02.experiment.as_deref(), Some("Trial 3"));
    let model: Model = doc(json(&["workers", "model", "get", "pio02"]).ok());
    assert_eq!(model.model_name.as_deref(), Some("pioreactor_40ml"));
    let set: ModelSet =
        doc(json(&["workers", "model", "set", "pio03", "pioreactor_20ml", "1.0"]).ok());
    assert_eq!(set.unit, "pio03");
    let assigned: Assigned = doc(json(&["workers", "assign", "pio03", "Other"]).ok());
    assert!(assigned.changed);
    let added: Changes = doc(json(&[
        "workers",
        "add",
        "pio05",
        "--offline",
        "-m",
        "pioreactor_20ml",
        "--model-version",
        "1.0",
    ])
    .ok());
    assert_eq!(added.inventory, "api");
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
#[allow(dead_code)]
struct ArchiveStep {
    step: String,
    via: Option<String>,
    ok: bool,
    message: String,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
#[allow(dead_code)]
struct Archived {
    command: String,
    dry_run: bool,
    unit: String,
    address: Option<String>,
    file: String,
    archive_unit: Option<String>,
    members: Option<u64>,
    bytes: Option<u64>,
    route: String,
    steps: Vec<ArchiveStep>,
    ok: bool,
}

#[test]
fn backup_and_restore_print_their_documented_schema() {
    let lab = Lab::start(&["leader1", "pio02"], 112, &[Web::Down, Web::Down]);
    lab.trust_all();
    lab.env.write_config(&format!(
        "[cluster.topology]\nleader_hostname=leader1\n\n[cluster.inventory]\nleader1=1\npio02=1\n\n[cluster.addresses]\nleader1={}\npio02={}\n",
        lab.units[0].addr, lab.units[1].addr
    ));
    std::fs::write(lab.unit_dir(1).join(".pioreactor/config.ini"), "[x]\n").unwrap();
    let zip = lab.env.dir.path().join("b.zip");
    let zip = zip.to_str().unwrap();
    let plan: Archived = doc(lab
        .env
        .run(&["backup", "pio02", "-o", zip, "--dry-run", "--json"])
        .ok());
    assert!(plan.dry_run && plan.steps.is_empty());
    let done: Archived = doc(lab.env.run(&["backup", "pio02", "-o", zip, "--json"]).ok());
    assert_eq!(done.archive_unit.as_deref(), Some("pio02"));
    assert_eq!(done.steps[0].step, "backup");
    let plan: Archived = doc(lab
        .env
        .run(&["restore", "pio02", zip, "--dry-run", "--json"])
        .ok());
    assert_eq!((plan.command.as_str(), plan.members), ("restore", Some(1)));
    let done: Archived = doc(lab
        .env
        .run(&["restore", "pio02", zip, "--yes", "--json"])
        .ok());
    assert!(done.ok && done.steps.len() == 3);
    let plan: Replaced = doc(lab
        .env
        .run(&["workers", "replace", "pio02", zip, "--dry-run", "--json"])
        .ok());
    assert!(plan.dry_run && !plan.forgot_host_keys.is_empty());
    let done: Replaced = doc(lab
        .env
        .run(&["workers", "replace", "pio02", zip, "--yes", "--json"])
        .ok());
    assert_eq!(
        (done.command.as_str(), done.unit.as_str()),
        ("workers replace", "pio02")
    );
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
#[allow(dead_code)]
struct Replaced {
    command: String,
    dry_run: bool,
    unit: String,
    file: String,
    forgot_host_keys: Vec<String>,
}
