//! The two eras of Pioreactor clusters: which inventory pio chooses and why, and every inventory
//! command against a pretend leader API that answers as the real one does and records what pio
//! sent.

use crate::common;

use std::fs;
use std::net::TcpListener;

use common::lab::{Lab, Web};
use common::leader_api::{LeaderApi, Mode};
use common::{Env, Run, python_reads};
use serde_json::{Value, json};

/// A leader API with pio02 (active, a 40 ml model, in "Trial 3") and pio03 (inactive, no model).
pub(crate) fn leader() -> LeaderApi {
    let api = LeaderApi::start("127.0.0.1:0");
    api.add_worker("pio02", true, Some("pioreactor_40ml"), Some("1.5"));
    api.add_worker("pio03", false, None, None);
    api.add_experiment("Trial 3");
    api.add_experiment("Other");
    api.assign("pio02", "Trial 3");
    api
}

/// config.ini of a database-era leader: topology, addresses, the API's port, and a stale
/// inventory section an upgrade left behind (nothing reads it).
fn config_for(port: u16) -> String {
    format!(
        "[cluster.topology]\nleader_hostname=leader1\nleader_address=leader1.local\n\n\
         # stale since 24.4\n[cluster.inventory]\nold1=1\n\n\
         [cluster.addresses]\npio02=10.0.0.2\n\n[ui]\nport={port}\n"
    )
}

pub(crate) fn env_for(api: &LeaderApi) -> (Env, String) {
    let env = Env::new();
    let text = config_for(api.port());
    env.write_config(&text);
    (env, text)
}

/// A loopback port nothing listens on.
fn closed_port() -> u16 {
    TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port()
}

fn json_of(run: &Run) -> Value {
    serde_json::from_str(&run.stdout).unwrap_or_else(|e| panic!("{e}: {}", run.stdout))
}

fn bodies(api: &LeaderApi, method: &str, path: &str) -> Vec<Value> {
    api.requests_to(method, path)
        .into_iter()
        .filter(|r| r.path == path)
        .map(|r| r.body.unwrap_or(Value::Null))
        .collect()
}

fn mutations(api: &LeaderApi) -> Vec<String> {
    api.requests()
        .into_iter()
        .filter(|r| r.method != "GET")
        .map(|r| format!("{} {}", r.method, r.path))
        .collect()
}

#[test]
fn list_reads_the_leader_database_with_models_and_experiments() {
    let api = leader();
    let (env, _) = env_for(&api);
    let run = env.run(&["-v", "--json", "workers", "list"]);
    let v = json_of(run.ok());
    assert_eq!(
        v,
        json!([
            {"name": "pio02", "active": true, "address": "10.0.0.2", "address_source": "static", "leader": false,
             "model_name": "pioreactor_40ml", "model_version": "1.5", "experiment": "Trial 3", "release": null, "flaw": null},
            {"name": "pio03", "active": false, "address": "pio03.local", "address_source": "mdns", "leader": false,
             "model_name": null, "model_version": null, "experiment": null, "release": null, "flaw": null},
        ])
    );
    let url = format!("http://127.0.0.1:{}/api/workers", api.port());
    assert!(
        run.stderr.contains("inventory: the leader's database")
            && run
                .stderr
                .contains(&format!("its web API answered GET {url}")),
        "{}",
        run.stderr
    );
    let table = env.run(&["workers", "list", "--active"]);
    let lines: Vec<&str> = table.ok().stdout.lines().collect();
    assert_eq!(
        lines[0].split_whitespace().collect::<Vec<_>>(),
        ["NAME", "ACTIVE", "MODEL", "EXPERIMENT", "ADDRESS", "LEADER"]
    );
    assert!(
        lines[1].contains("pioreactor_40ml 1.5") && lines[1].contains("Trial 3"),
        "{lines:?}"
    );
    assert_eq!(lines.len(), 2);
}

#[test]
fn the_override_beats_the_evidence() {
    let api = leader();
    let (env, _) = env_for(&api);
    let run = env.run(&["-v", "--inventory", "config", "workers", "list", "--names"]);
    assert_eq!(run.ok().stdout, "old1\n");
    assert!(
        run.stderr.contains("chosen by --inventory"),
        "{}",
        run.stderr
    );
    assert!(api.requests().is_empty(), "{:?}", api.requests());
    let run = env.run_with(
        &["workers", "list", "--names"],
        &[("PIO_INVENTORY", "config")],
    );
    assert_eq!(run.ok().stdout, "old1\n");
    let run = env.run_with(&["workers", "list", "--names"], &[("PIO_INVENTORY", "sql")]);
    assert!(
        run.code(2).stderr.contains("$PIO_INVENTORY is 'sql'"),
        "{}",
        run.stderr
    );
}

#[test]
fn api_expected_but_down_is_exit_1_and_config_ini_is_untouched() {
    let env = Env::new();
    let port = closed_port();
    let before = config_for(port);
    env.write_config(&before);
    let url = format!("http://127.0.0.1:{port}/api/workers");

    // Told so.
    let run = env.run_with(
        &["workers", "set-active", "old1", "0"],
        &[("PIO_INVENTORY", "api")],
    );
    run.code(1);
    assert!(
        run.stderr.contains(&url) && run.stderr.contains("chosen by $PIO_INVENTORY"),
        "{}",
        run.stderr
    );
    assert_eq!(env.read_config(), before);

    // Or the release installed here says so.
    let site = env.python_site("25.1.0");
    for args in [
        &["workers", "set-active", "old1", "0"][..],
        &["workers", "add", "pio09", "--offline"],
        &["workers", "remove", "old1"],
        &["workers", "list"],
    ] {
        let run = env.run_with(args, &[("PIO_PYTHON_SITE", &site)]);
        run.code(1);
        assert!(
            run.stderr.contains("installed here is 25.1.0")
                && run.stderr.contains(&url)
                // (A read as much as an edit: nothing was done, not "changed".)
                && run.stderr.contains("nothing was done"),
            "{args:?}: {}",
            run.stderr
        );
        assert_eq!(env.read_config(), before, "{args:?}");
    }
}

#[test]
fn an_older_release_or_no_evidence_means_config_ini() {
    let env = Env::new();
    env.write_config(&config_for(closed_port()));
    let site = env.python_site("24.3.10");
    let run = env.run_with(
        &["-v", "workers", "list", "--names"],
        &[("PIO_PYTHON_SITE", &site)],
    );
    assert_eq!(run.ok().stdout, "old1\n");
    assert!(
        run.stderr.contains("installed here is 24.3.10")
            && run.stderr.contains("inventory: config.ini"),
        "{}",
        run.stderr
    );
    // A web server that is not a Pioreactor leader is no evidence either.
    let api = leader();
    api.set_mode(Mode::Foreign);
    let (env, _) = env_for(&api);
    let run = env.run(&["workers", "list", "--names"]);
    assert_eq!(run.ok().stdout, "old1\n");
}

#[test]
fn a_pioreactor_server_answering_with_an_error_is_evidence_not_a_fallback() {
    for mode in [Mode::Broken, Mode::Worker] {
        let api = leader();
        api.set_mode(mode);
        let (env, before) = env_for(&api);
        let run = env.run(&["workers", "set-active", "old1", "0"]);
        assert!(
            run.code(1)
                .stderr
                .contains("a Pioreactor web server answers"),
            "{}",
            run.stderr
        );
        assert_eq!(env.read_config(), before);
    }
}

#[test]
fn api_era_refuses_what_it_cannot_do() {
    let api = leader();
    let (env, before) = env_for(&api);
    env.run(&["workers", "set-active", "pio02", "0", "--offline"])
        .code(2);
    // A model change needs its version when the leader has none.
    let run = env.run(&[
        "workers",
        "add",
        "pio03",
        "--offline",
        "-m",
        "pioreactor_20ml",
    ]);
    assert!(
        run.code(2).stderr.contains("needs its version"),
        "{}",
        run.stderr
    );
    assert_eq!(mutations(&api), Vec::<String>::new());
    assert_eq!(env.read_config(), before);
}

#[test]
fn api_errors_show_the_api_message_and_exit_1() {
    let api = leader();
    api.set_mode(Mode::Broken);
    let (env, before) = env_for(&api);
    let run = env.run(&["--inventory", "api", "workers", "set-active", "pio02", "0"]);
    run.code(1);
    assert!(
        run.stderr.contains("HTTP 500") && run.stderr.contains("internal error"),
        "{}",
        run.stderr
    );
    assert_eq!(env.read_config(), before);
}

#[test]
fn add_offline_registers_with_its_model_and_pins_only_a_given_address() {
    let api = leader();
    let (env, _) = env_for(&api);
    let run = env.run(&[
        "--json",
        "workers",
        "add",
        "pio05",
        "--offline",
        "-m",
        "pioreactor_20ml",
        "--model-version",
        "1.0",
        "-a",
        "10.0.0.5",
    ]);
    let v = json_of(run.ok());
    assert_eq!(v["inventory"], "api");
    assert_eq!(
        v["changes"],
        json!([
            {"action": "add_worker", "name": "pio05", "active": true},
            {"action": "set_address", "name": "pio05", "old": null, "new": "10.0.0.5"},
        ])
    );
    assert_eq!(
        bodies(&api, "PUT", "/api/workers"),
        [
            json!({"pioreactor_unit": "pio05", "model_name": "pioreactor_20ml", "model_version": "1.0"})
        ]
    );
    let ini = python_reads(&env.config(), "current").unwrap();
    assert_eq!(ini["cluster.addresses"]["pio05"], "10.0.0.5");
    // The stale section is not the inventory: nothing was written there.
    assert_eq!(
        ini["cluster.inventory"].keys().collect::<Vec<_>>(),
        ["old1"]
    );

    // Inactive: registered, then made inactive; no address pinned without -a.
    env.run(&["workers", "add", "pio06", "--offline", "--inactive"])
        .ok();
    assert_eq!(
        bodies(&api, "PUT", "/api/workers/pio06/is_active"),
        [json!({"is_active": 0})]
    );
    let pio06 = api
        .workers()
        .into_iter()
        .find(|w| w.pioreactor_unit == "pio06")
        .unwrap();
    assert_eq!((pio06.is_active, pio06.model_name), (0, None));
    assert!(!env.read_config().contains("pio06"));
}

#[test]
fn re_adding_a_registered_worker_changes_only_what_differs() {
    let api = leader();
    let (env, before) = env_for(&api);
    let run = env.run(&["workers", "add", "pio02", "--offline"]);
    assert!(
        run.ok().stderr.contains("already in the inventory"),
        "{}",
        run.stderr
    );
    // A second PUT /api/workers would reset it and drop its experiment: none was sent.
    assert_eq!(mutations(&api), Vec::<String>::new());
    assert_eq!(api.assignment_of("pio02").as_deref(), Some("Trial 3"));
    assert_eq!(env.read_config(), before);
    // Another model: only that changes. (pio03 is inactive and stays so: re-adding it used to
    // make it active, which nobody asked; `--active` does that now.)
    env.run(&[
        "workers",
        "add",
        "pio03",
        "--offline",
        "-m",
        "pioreactor_20ml",
        "--model-version",
        "1.0",
    ])
    .ok();
    assert_eq!(mutations(&api), ["PUT /api/workers/pio03/model"]);
    env.run(&["workers", "add", "pio03", "--offline", "--active"])
        .ok();
    assert_eq!(
        mutations(&api),
        [
            "PUT /api/workers/pio03/model",
            "PUT /api/workers/pio03/is_active"
        ]
    );
    assert_eq!(
        bodies(&api, "PUT", "/api/workers/pio03/model"),
        [json!({"model_name": "pioreactor_20ml", "model_version": "1.0"})]
    );
    // A model the leader does not know: its own message and remediation, exit 1.
    let run = env.run(&[
        "workers",
        "add",
        "pio03",
        "--offline",
        "-m",
        "pioreactor_1l",
        "--model-version",
        "9",
    ]);
    assert!(
        run.code(1)
            .stderr
            .contains("Model name or version not found in available models")
            && run.stderr.contains(
                "hint: Use a model_name and model_version from the registered models list."
            ),
        "{}",
        run.stderr
    );
}

#[test]
fn set_active_goes_through_the_api() {
    let api = leader();
    let (env, before) = env_for(&api);
    env.run(&["workers", "set-active", "pio02", "0"]).ok();
    assert_eq!(
        bodies(&api, "PUT", "/api/workers/pio02/is_active"),
        [json!({"is_active": 0})]
    );
    assert_eq!(api.workers()[0].is_active, 0);
    // Already so: no request. The Python CLI's spelling works too.
    let run = env.run(&["workers", "update-active", "pio02", "0"]);
    assert!(
        run.ok().stderr.contains("already inactive"),
        "{}",
        run.stderr
    );
    assert_eq!(mutations(&api).len(), 1);
    // Unknown or malformed: exit 2, nothing sent.
    let run = env.run(&["workers", "set-active", "ghost", "1"]);
    assert!(
        run.code(2).stderr.contains("ghost is not in the inventory"),
        "{}",
        run.stderr
    );
    env.run(&["workers", "set-active", "bad_name", "1"]).code(2);
    assert_eq!(mutations(&api).len(), 1);
    // Dry run: says what it would do, sends nothing.
    let run = env.run(&["workers", "set-active", "pio03", "1", "--dry-run"]);
    assert!(
        run.ok().stderr.contains("Made pio03 active"),
        "{}",
        run.stderr
    );
    assert_eq!(mutations(&api).len(), 1);
    assert_eq!(env.read_config(), before);
}

#[test]
fn remove_deletes_from_the_database_and_drops_the_address_line() {
    let api = leader();
    let (env, _) = env_for(&api);
    // All or nothing.
    let run = env.run(&["workers", "remove", "pio02", "ghost"]);
    run.code(2);
    env.run(&["workers", "remove", "pio02", "--keep-running"])
        .code(2);
    assert_eq!(mutations(&api), Vec::<String>::new());

    env.run(&["workers", "remove", "pio02", "pio03"]).ok();
    assert_eq!(
        mutations(&api),
        ["DELETE /api/workers/pio02", "DELETE /api/workers/pio03"]
    );
    assert!(api.workers().is_empty());
    let ini = python_reads(&env.config(), "current").unwrap();
    assert!(ini["cluster.addresses"].is_empty(), "{ini:?}");
    assert_eq!(
        ini["cluster.inventory"].keys().collect::<Vec<_>>(),
        ["old1"]
    );
}

#[test]
fn assign_and_unassign_experiments() {
    let api = leader();
    let (env, _) = env_for(&api);
    env.run(&["workers", "assign", "pio03", "Trial 3"]).ok();
    assert_eq!(
        bodies(&api, "PUT", "/api/experiments/Trial%203/workers"),
        [json!({"pioreactor_unit": "pio03"})]
    );
    assert_eq!(api.assignment_of("pio03").as_deref(), Some("Trial 3"));
    // Again: nothing to do.
    let run = env.run(&["workers", "assign", "pio03", "Trial 3"]);
    assert!(
        run.ok().stderr.contains("already assigned"),
        "{}",
        run.stderr
    );
    // No such experiment: exit 2, the experiments named.
    let run = env.run(&["workers", "assign", "pio03", "Nope"]);
    assert!(
        run.code(2).stderr.contains("no experiment named 'Nope'")
            && run.stderr.contains("Other, Trial 3"),
        "{}",
        run.stderr
    );
    // Unassign from the current one, or only from the one named.
    let run = env.run(&["workers", "unassign", "pio03", "Other"]);
    assert!(
        run.code(2)
            .stderr
            .contains("assigned to Trial 3, not to Other"),
        "{}",
        run.stderr
    );
    let run = env.run(&["--json", "workers", "unassign", "pio02"]);
    assert_eq!(
        json_of(run.ok()),
        json!({"command": "workers unassign", "unit": "pio02", "experiment": "Trial 3", "changed": true})
    );
    assert_eq!(api.assignment_of("pio02"), None);
    let run = env.run(&["workers", "unassign", "pio02"]);
    assert!(
        run.ok().stderr.contains("not assigned to any experiment"),
        "{}",
        run.stderr
    );
    assert_eq!(
        mutations(&api),
        [
            "PUT /api/experiments/Trial%203/workers",
            "DELETE /api/experiments/Trial%203/workers/pio02"
        ]
    );
    // The listing shows assignments.
    let v = json_of(env.run(&["--json", "workers", "list"]).ok());
    assert_eq!(
        (v[0]["experiment"].clone(), v[1]["experiment"].clone()),
        (Value::Null, json!("Trial 3"))
    );
}

#[test]
fn assign_in_the_config_ini_era_is_exit_2() {
    let env = Env::new();
    let before = config_for(closed_port());
    env.write_config(&before);
    for args in [
        &["workers", "assign", "old1", "exp"][..],
        &["workers", "unassign", "old1"],
    ] {
        let run = env.run(args);
        assert!(
            run.code(2)
                .stderr
                .contains("no per-worker experiment assignment"),
            "{}",
            run.stderr
        );
    }
    assert_eq!(env.read_config(), before);
}

/// A lab (real sshd) with a leader API beside it: newbie is a fresh worker accepting the
/// leader's key.
fn add_lab(base: u8) -> (Lab, LeaderApi) {
    let lab = Lab::start(&["leader1", "newbie"], base, &[Web::Down, Web::Down]);
    let api = leader();
    lab.authorize_leader(1);
    lab.env.write_config(&config_for(api.port()));
    (lab, api)
}

#[test]
fn verified_add_registers_copies_joins_and_reboots() {
    let (lab, api) = add_lab(40);
    fs::write(lab.unit_dir(1).join("version"), "26.11.1\n").unwrap();
    let addr = lab.units[1].addr.clone();
    let run = lab.env.run(&[
        "workers",
        "add",
        "newbie",
        "-a",
        &addr,
        "-m",
        "pioreactor_40ml",
        "--model-version",
        "1.5",
    ]);
    run.ok();
    assert_eq!(
        bodies(&api, "PUT", "/api/workers"),
        [
            json!({"pioreactor_unit": "newbie", "model_name": "pioreactor_40ml", "model_version": "1.5"})
        ]
    );
    // The worker got config.ini as it is now (with its pinned address), and no unit_config.ini:
    // in this era the worker keeps its own.
    let now = lab.env.read_config();
    assert!(now.contains(&format!("newbie={addr}")), "{now}");
    let unit = lab.unit_dir(1).join(".pioreactor");
    assert_eq!(fs::read_to_string(unit.join("config.ini")).unwrap(), now);
    assert!(!unit.join("unit_config.ini").exists());
    let mut commands = lab.ssh_commands();
    commands.dedup();
    assert_eq!(commands.len(), 6, "{commands:?}");
    assert_eq!(commands[2], "pio version", "{commands:?}");
    // 26.11 joins with its model: the unit keeps it and reports it to the leader.
    assert!(
        commands[4].starts_with("pio cluster join --leader-time ")
            && commands[4].ends_with(" --model-name pioreactor_40ml --model-version 1.5"),
        "{commands:?}"
    );
    assert_eq!(commands[5], "sudo reboot");
}

#[test]
fn verified_add_gives_a_pre_26_11_worker_the_clock_and_chrony_source_and_may_skip_the_reboot() {
    // 26.7.2 has no `pio cluster join`: the Python add of its day set the date and appended the
    // leader to chrony.conf. pio does both, and once only however often it is run.
    let (lab, api) = add_lab(50);
    fs::write(lab.unit_dir(1).join("no-join"), "").unwrap();
    fs::write(lab.unit_dir(1).join("version"), "26.7.2\n").unwrap();
    let addr = lab.units[1].addr.clone();
    let run = lab
        .env
        .run(&["workers", "add", "newbie", "-a", &addr, "--no-reboot"]);
    assert!(run.ok().stderr.contains("not rebooted"), "{}", run.stderr);
    let mut commands = lab.ssh_commands();
    commands.dedup();
    assert_eq!(commands.len(), 6, "{commands:?}");
    assert_eq!(commands[2], "pio version", "{commands:?}");
    assert!(
        commands[4].starts_with("sudo date -u --set=@"),
        "{commands:?}"
    );
    assert!(
        commands[5].starts_with("grep -qxF 'server "),
        "{commands:?}"
    );
    assert!(
        !commands.iter().any(|c| c.contains("cluster join")),
        "{commands:?}"
    );
    assert_eq!(api.workers().len(), 3);
    let chrony = lab.unit_dir(1).join("etc/chrony/chrony.conf");
    let line = |text: &str| {
        text.lines()
            .filter(|l| l.ends_with(" iburst prefer"))
            .count()
    };
    assert_eq!(line(&fs::read_to_string(&chrony).unwrap()), 1);
    lab.env
        .run(&["workers", "add", "newbie", "-a", &addr, "--no-reboot"])
        .ok();
    assert_eq!(
        line(&fs::read_to_string(&chrony).unwrap()),
        1,
        "a second add adds no line"
    );
}

#[test]
fn verified_add_that_cannot_reach_the_worker_registers_nothing() {
    let api = leader();
    let (env, before) = env_for(&api);
    let run = env.run(&[
        "workers",
        "add",
        "pio07",
        "-a",
        "127.0.9.77",
        "--timeout",
        "1",
    ]);
    assert!(
        run.code(1).stderr.contains("step 2/8 (reach) failed"),
        "{}",
        run.stderr
    );
    assert_eq!(mutations(&api), Vec::<String>::new());
    assert_eq!(env.read_config(), before);
}

#[test]
fn rename_removes_then_registers_the_new_name_as_the_old_one_was() {
    let lab = Lab::start(&["leader1", "pio03"], 60, &[Web::Down, Web::Down]);
    lab.trust_all();
    let api = leader();
    let addr = lab.units[1].addr.clone();
    lab.env.write_config(&format!(
        "[cluster.topology]\nleader_hostname=leader1\n\n[cluster.addresses]\npio03={addr}\n\n[ui]\nport={}\n",
        api.port()
    ));
    api.assign("pio03", "Other");
    fs::write(
        lab.env.config().with_file_name("config_pio03.ini"),
        "[od]\nx=1\n",
    )
    .unwrap();
    let rebooting = lab.reboot_when_asked(1, Some(std::time::Duration::from_millis(600)));
    let run = lab
        .env
        .run(&["rename", "pio03", "pio09", "--timeout", "20"]);
    rebooting.join().unwrap();
    run.ok();
    assert!(
        run.stderr
            .contains("pio03 was assigned to Other; pio09 is not"),
        "{}",
        run.stderr
    );
    // Its settings survive under the new name, and once it is back it gets config.ini again
    // (the leader had it delete its copy with the old name).
    let own = lab.env.config().with_file_name("config_pio09.ini");
    assert_eq!(fs::read_to_string(own).unwrap(), "[od]\nx=1\n");
    assert!(!lab.env.config().with_file_name("config_pio03.ini").exists());
    assert_eq!(
        fs::read_to_string(lab.unit_dir(1).join(".pioreactor/config.ini")).unwrap(),
        lab.env.read_config()
    );
    assert_eq!(
        mutations(&api),
        [
            "DELETE /api/workers/pio03",
            "PUT /api/workers",
            "PUT /api/workers/pio09/is_active"
        ]
    );
    assert_eq!(
        bodies(&api, "PUT", "/api/workers"),
        [json!({"pioreactor_unit": "pio09", "model_name": null, "model_version": null})]
    );
    let pio09 = api
        .workers()
        .into_iter()
        .find(|w| w.pioreactor_unit == "pio09")
        .unwrap();
    assert_eq!(pio09.is_active, 0);
    assert!(lab.env.read_config().contains(&format!("\npio09={addr}\n")));
}

#[test]
fn sync_configs_copies_to_each_unit_and_names_the_unreachable() {
    let lab = Lab::start(&["leader1", "pio02", "pio03"], 70, &[Web::Down; 3]);
    lab.trust_all();
    let (a1, a2) = (&lab.units[0].addr, &lab.units[1].addr);
    let config = format!(
        "[cluster.topology]\nleader_hostname=leader1\n\n[cluster.inventory]\nleader1=1\npio02=1\npio03=1\npio04=0\n\n\
         [cluster.addresses]\nleader1={a1}\npio02={a2}\npio03=127.0.9.99\n\n[ui]\nport={}\n",
        closed_port()
    );
    lab.env.write_config(&config);
    fs::write(
        lab.env.config().with_file_name("config_pio02.ini"),
        "[stirring.config]\ntarget_rpm=500\n",
    )
    .unwrap();
    let run = lab
        .env
        .run(&["workers", "sync-configs", "--all", "--timeout", "2"]);
    run.code(1);
    assert!(
        run.stderr
            .contains("could not be copied to 1 of 2 units: pio03"),
        "{}",
        run.stderr
    );
    let unit = lab.unit_dir(1).join(".pioreactor");
    assert_eq!(fs::read_to_string(unit.join("config.ini")).unwrap(), config);
    assert_eq!(
        fs::read_to_string(unit.join("unit_config.ini")).unwrap(),
        "[stirring.config]\ntarget_rpm=500\n"
    );
    // The leader is the source; pio04 is inactive and --all means the active workers.
    assert!(!lab.unit_dir(0).join(".pioreactor/config.ini").exists());
    assert!(
        run.stderr.contains("leader1 is the leader"),
        "{}",
        run.stderr
    );
    assert_eq!(lab.env.read_config(), config);
}

#[test]
fn status_checks_the_workers_of_the_leader_database() {
    let lab = Lab::start(&["leader1", "pio02", "pio03"], 80, &[Web::Up; 3]);
    lab.trust_all();
    let api = LeaderApi::start("127.0.0.1:0");
    api.add_worker("pio02", true, None, None);
    api.add_worker("pio03", false, None, None);
    let (a2, a3) = (&lab.units[1].addr, &lab.units[2].addr);
    // The stale section names a unit that no longer exists: it must not be checked.
    lab.env.write_config(&format!(
        "[cluster.topology]\nleader_hostname=leader1\n\n[cluster.inventory]\nghost=1\n\n\
         [cluster.addresses]\npio02={a2}\npio03={a3}\n\n[ui]\nport={}\n",
        api.port()
    ));
    // [ui] port is the pretend leader's; the units' own web servers listen elsewhere, so this
    // checks them over SSH.
    let run = lab
        .env
        .run(&["--json", "workers", "status", "--via", "ssh"]);
    let v = json_of(run.ok());
    let names: Vec<&str> = v
        .as_array()
        .unwrap()
        .iter()
        .map(|r| r["name"].as_str().unwrap())
        .collect();
    assert_eq!(names, ["pio02", "pio03"]);
    assert_eq!(
        (v[0]["active"].clone(), v[1]["active"].clone()),
        (json!(true), json!(false))
    );
    assert!(
        v.as_array().unwrap().iter().all(|r| r["reachable"] == true),
        "{v}"
    );
}

#[test]
fn the_python_clis_model_spelling_works() {
    let api = leader();
    let (env, _) = env_for(&api);
    // `-v VERSION` after `workers add`, as the Python CLI spells --model-version.
    env.run(&[
        "workers",
        "add",
        "pio05",
        "--offline",
        "-m",
        "pioreactor_20ml",
        "-v",
        "1.0",
    ])
    .ok();
    assert_eq!(
        bodies(&api, "PUT", "/api/workers"),
        [
            json!({"pioreactor_unit": "pio05", "model_name": "pioreactor_20ml", "model_version": "1.0"})
        ]
    );
}

#[test]
fn units_are_chosen_by_experiment_from_the_leader_database() {
    let lab = Lab::start(&["leader1", "pio02", "pio03", "pio04"], 90, &[Web::Up; 4]);
    lab.trust_all();
    let api = LeaderApi::start("127.0.0.1:0");
    for (unit, active) in [("pio02", true), ("pio03", false), ("pio04", true)] {
        api.add_worker(unit, active, None, None);
    }
    api.add_experiment("Trial 3");
    api.add_experiment("Other");
    api.add_experiment("Empty");
    api.assign("pio02", "Trial 3");
    api.assign("pio03", "Trial 3");
    api.assign("pio04", "Other");
    let (a2, a3, a4) = (&lab.units[1].addr, &lab.units[2].addr, &lab.units[3].addr);
    lab.env.write_config(&format!(
        "[cluster.topology]\nleader_hostname=leader1\n\n[cluster.addresses]\npio02={a2}\npio03={a3}\npio04={a4}\n\n[ui]\nport={}\n",
        api.port()
    ));
    // The names `workers status` checks with these options.
    let status = |options: &[&str]| -> Vec<String> {
        let mut args = vec!["--json", "workers", "status", "--via", "ssh"];
        args.extend(options);
        let run = lab.env.run(&args);
        let v = json_of(run.ok());
        let rows = v.as_array().unwrap().iter();
        rows.map(|r| r["name"].as_str().unwrap().to_string())
            .collect()
    };
    // The active workers assigned to it, as `pios --experiments` picks them: pio03 is inactive.
    assert_eq!(status(&["--experiment", "Trial 3"]), ["pio02"]);
    // Repeated, and in the Python CLI's spelling.
    let both = ["--experiments", "Other", "--experiment", "Trial 3"];
    assert_eq!(status(&both), ["pio02", "pio04"]);
    let run = lab
        .env
        .run(&["reboot", "--experiment", "Other", "--dry-run"]);
    let plan = format!("{}{}", run.ok().stdout, run.stderr);
    assert!(plan.contains("pio04") && !plan.contains("pio02"), "{plan}");
    let run = lab
        .env
        .run(&["shutdown", "--experiment", "Trial 3", "--dry-run"]);
    let plan = format!("{}{}", run.ok().stdout, run.stderr);
    assert!(plan.contains("pio02") && !plan.contains("pio04"), "{plan}");
    // Nothing was sent to any unit.
    assert!(
        lab.asked("sudo reboot", "POST /unit_api/system/reboot")
            .is_empty()
    );
    // What cannot be chosen: exit 2, nothing sent.
    for (args, needle) in [
        (
            &["reboot", "--experiment", "Nope", "--yes"][..],
            "no experiment 'Nope'",
        ),
        (
            &["reboot", "--experiment", "Empty", "--yes"],
            "no active worker is assigned to 'Empty'",
        ),
        (
            &["reboot", "--experiment", "Other", "pio02", "--yes"],
            "cannot be used with",
        ),
        (
            &["workers", "sync-configs", "--experiment", "Other", "--all"],
            "cannot be used with",
        ),
    ] {
        let run = lab.env.run(args);
        run.code(2);
        assert!(run.stderr.contains(needle), "{args:?}: {}", run.stderr);
    }
    assert!(
        lab.asked("sudo reboot", "POST /unit_api/system/reboot")
            .is_empty()
    );
    // Only status asked anything of a unit, and only of those chosen.
    let asked: Vec<String> = lab.ssh_log().into_iter().map(|(_, a, _)| a).collect();
    assert!(!asked.contains(a3), "{asked:?}");
}

#[test]
fn experiments_need_the_leader_database() {
    let env = Env::new();
    env.write_config(
        "[cluster.topology]\nleader_hostname=leader1\n\n[cluster.inventory]\npio02=1\n",
    );
    let run = env.run(&["reboot", "--experiment", "Trial 3", "--dry-run"]);
    run.code(2);
    assert!(
        run.stderr
            .contains("this cluster's inventory is config.ini"),
        "{}",
        run.stderr
    );
}
