//! Each unit by the release it runs: pio learns it from the unit (`pio version` over SSH, or its
//! web API) and gives it what that release keeps. The pretend units answer `pio version` with
//! the release written in their `version` file.

use crate::common;

use std::fs;

use common::lab::{Lab, Web};
use common::leader_api::LeaderApi;
use serde_json::{Value, json};

/// The commands a unit was sent, in order (each file copied is one SFTP session: those repeats
/// are folded, and only those).
fn commands(lab: &Lab, addr: &str) -> Vec<String> {
    let mut sent: Vec<String> = lab
        .ssh_log()
        .into_iter()
        .filter(|(_, a, _)| a == addr)
        .map(|(_, _, c)| c)
        .collect();
    sent.dedup_by(|a, b| a == b && a == "internal-sftp");
    sent
}

fn set_release(lab: &Lab, i: usize, release: &str) {
    fs::write(lab.unit_dir(i).join("version"), format!("{release}\n")).unwrap();
}

/// A config.ini-era cluster (the leader lists its workers) of units at 127.0.1.<base...>.
fn cluster(names: &[&str], base: u8) -> Lab {
    let lab = Lab::start(names, base, &vec![Web::Down; names.len()]);
    lab.trust_all();
    lab.write_config(names[0]);
    lab
}

#[test]
fn sync_configs_never_overwrites_the_unit_config_a_26_4_unit_owns() {
    let lab = cluster(&["leader1", "pio02", "pio03", "pio04"], 150);
    set_release(&lab, 1, "25.11.19");
    set_release(&lab, 2, "26.4.0");
    set_release(&lab, 3, "26.11.1");
    // The leader's config_<unit>.ini files: the truth for 25.11, stale leftovers of the 26.4
    // update for the others.
    for u in ["pio02", "pio03", "pio04"] {
        fs::write(
            lab.env.config().with_file_name(format!("config_{u}.ini")),
            format!("[stirring.config]\n# leader's copy for {u}\ntarget_rpm=400\n"),
        )
        .unwrap();
    }
    // What the 26.x units set for themselves since.
    for i in [2, 3] {
        fs::write(
            lab.unit_dir(i).join(".pioreactor/unit_config.ini"),
            format!("[stirring.config]\n# set on unit {i}\ntarget_rpm=777\n"),
        )
        .unwrap();
    }
    let run = lab.env.run(&[
        "workers",
        "sync-configs",
        "pio02",
        "pio03",
        "pio04",
        "--json",
    ]);
    run.ok();
    let config = lab.env.read_config();
    for i in 1..=3 {
        let unit = lab.unit_dir(i).join(".pioreactor");
        assert_eq!(fs::read_to_string(unit.join("config.ini")).unwrap(), config);
    }
    // 25.11 takes its settings from the leader.
    assert_eq!(
        fs::read_to_string(lab.unit_dir(1).join(".pioreactor/unit_config.ini")).unwrap(),
        "[stirring.config]\n# leader's copy for pio02\ntarget_rpm=400\n"
    );
    // 26.4 and 26.11 keep their own, and the leader's copy becomes a snapshot of it.
    for (i, u) in [(2, "pio03"), (3, "pio04")] {
        let own = format!("[stirring.config]\n# set on unit {i}\ntarget_rpm=777\n");
        assert_eq!(
            fs::read_to_string(lab.unit_dir(i).join(".pioreactor/unit_config.ini")).unwrap(),
            own
        );
        assert_eq!(
            fs::read_to_string(lab.env.config().with_file_name(format!("config_{u}.ini"))).unwrap(),
            own
        );
    }
    let json: Value = serde_json::from_str(&run.stdout).unwrap();
    let releases: Vec<(String, Value)> = json["units"]
        .as_array()
        .unwrap()
        .iter()
        .map(|u| {
            (
                u["unit"].as_str().unwrap().to_string(),
                u["release"].clone(),
            )
        })
        .collect();
    assert_eq!(
        releases,
        [
            ("pio02".into(), json!("25.11.19")),
            ("pio03".into(), json!("26.4.0")),
            ("pio04".into(), json!("26.11.1"))
        ]
    );
    let said = json["units"][1]["message"].as_str().unwrap();
    assert!(said.contains("fetched its own unit_config.ini"), "{said}");

    // --shared: config.ini only; a 26.x unit is told nothing of its own file either way.
    fs::write(
        lab.env.config().with_file_name("config_pio04.ini"),
        "[stirring.config]\ntarget_rpm=1\n",
    )
    .unwrap();
    let run = lab
        .env
        .run(&["workers", "sync-configs", "pio04", "--shared"]);
    run.ok();
    assert!(
        run.stderr.contains("owns its unit_config.ini: not sent"),
        "{}",
        run.stderr
    );
    assert!(
        fs::read_to_string(lab.unit_dir(3).join(".pioreactor/unit_config.ini"))
            .unwrap()
            .contains("target_rpm=777")
    );
    assert_eq!(
        fs::read_to_string(lab.env.config().with_file_name("config_pio04.ini")).unwrap(),
        "[stirring.config]\ntarget_rpm=1\n",
        "--shared takes no snapshot"
    );
}

#[test]
fn set_active_sends_a_26_4_unit_no_unit_config_and_halts_a_21_5_unit_its_way() {
    let lab = cluster(&["leader1", "pio02", "pio03"], 160);
    set_release(&lab, 1, "26.4.0");
    set_release(&lab, 2, "21.5.0");
    for u in ["pio02", "pio03"] {
        fs::write(
            lab.env.config().with_file_name(format!("config_{u}.ini")),
            "[od]\nstale=1\n",
        )
        .unwrap();
    }
    fs::write(
        lab.unit_dir(1).join(".pioreactor/unit_config.ini"),
        "[od]\nmine=1\n",
    )
    .unwrap();
    lab.env.run(&["workers", "set-active", "pio02", "0"]).ok();
    assert_eq!(
        fs::read_to_string(lab.unit_dir(1).join(".pioreactor/unit_config.ini")).unwrap(),
        "[od]\nmine=1\n"
    );
    assert_eq!(
        commands(&lab, &lab.units[1].addr),
        ["pio version", "internal-sftp", "pio kill --all-jobs"]
    );
    // 21.5 has no --all-jobs (its cli/pio.py: `pio kill --all`; 21.5 is not on PyPI, so this is
    // pinned from its source).
    lab.env.run(&["workers", "set-active", "pio03", "0"]).ok();
    assert_eq!(
        commands(&lab, &lab.units[2].addr),
        ["pio version", "internal-sftp", "pio kill --all"]
    );
    assert_eq!(
        fs::read_to_string(lab.unit_dir(2).join(".pioreactor/unit_config.ini")).unwrap(),
        "[od]\nstale=1\n",
        "a 21.5 unit takes its settings from the leader"
    );
}

#[test]
fn a_unit_whose_release_cannot_be_learnt_is_never_sent_nor_fetched_a_unit_config() {
    let lab = cluster(&["leader1", "pio02"], 170);
    fs::write(lab.unit_dir(1).join("no-version"), "").unwrap();
    fs::write(
        lab.env.config().with_file_name("config_pio02.ini"),
        "[od]\nleader=1\n",
    )
    .unwrap();
    fs::write(
        lab.unit_dir(1).join(".pioreactor/unit_config.ini"),
        "[od]\nmine=1\n",
    )
    .unwrap();
    // No `pio version` answers on pio02. This leader runs 25.11.19, whose units take their
    // settings from the leader; but a worker is updated before its leader, so pio02 may be a
    // 26.4 unit that owns its file: that file is left alone, and so is the leader's copy.
    let site = lab.env.python_site("25.11.19");
    let run = lab.env.run_with(
        &["workers", "sync-configs", "pio02"],
        &[("PIO_PYTHON_SITE", &site), ("PIO_INVENTORY", "config")],
    );
    run.ok();
    assert!(
        run.stderr.contains("pio02's release could not be learnt")
            && run.stderr.contains("treating it as 25.11.19")
            && run
                .stderr
                .contains("its unit_config.ini is neither sent nor fetched"),
        "{}",
        run.stderr
    );
    assert_eq!(
        fs::read_to_string(lab.unit_dir(1).join(".pioreactor/unit_config.ini")).unwrap(),
        "[od]\nmine=1\n"
    );
    assert_eq!(
        fs::read_to_string(lab.env.config().with_file_name("config_pio02.ini")).unwrap(),
        "[od]\nleader=1\n"
    );
    // config.ini itself still goes.
    assert_eq!(
        fs::read_to_string(lab.unit_dir(1).join(".pioreactor/config.ini")).unwrap(),
        lab.env.read_config()
    );
    // The same in set-active's copy.
    lab.env
        .run_with(
            &["workers", "set-active", "pio02", "0"],
            &[("PIO_PYTHON_SITE", &site), ("PIO_INVENTORY", "config")],
        )
        .ok();
    assert_eq!(
        fs::read_to_string(lab.unit_dir(1).join(".pioreactor/unit_config.ini")).unwrap(),
        "[od]\nmine=1\n"
    );
}

#[test]
fn status_shows_each_units_release_over_ssh_and_http() {
    let lab = Lab::start(
        &["leader1", "pio02", "pio03", "pio04"],
        180,
        &[Web::Down, Web::Down, Web::Up, Web::Down],
    );
    lab.trust_all();
    lab.write_config("leader1");
    set_release(&lab, 0, "26.11.1");
    set_release(&lab, 1, "24.3.10");
    set_release(&lab, 2, "26.11.1");
    fs::write(lab.unit_dir(3).join("no-version"), "").unwrap();
    let run = lab.env.run(&["workers", "status", "--json"]);
    run.ok();
    let rows: Vec<Value> = serde_json::from_str(&run.stdout).unwrap();
    let release = |name: &str| {
        rows.iter()
            .find(|r| r["name"] == name)
            .map(|r| (r["release"].clone(), r["via"].clone()))
            .unwrap()
    };
    assert_eq!(release("pio02"), (json!("24.3.10"), json!("ssh")));
    assert_eq!(release("pio03"), (json!("26.11.1"), json!("http")));
    // No Python stack answers on pio04: reachable, release unknown.
    assert_eq!(release("pio04"), (Value::Null, json!("ssh")));
    // What the monitor publishes is asked where the web API answered, never over SSH.
    let monitor = |name: &str| rows.iter().find(|r| r["name"] == name).unwrap()["monitor"].clone();
    assert_eq!(
        (monitor("pio03"), monitor("pio02")),
        (json!("running"), Value::Null)
    );
}

#[test]
fn rename_on_26_11_joins_again_with_its_model() {
    let lab = Lab::start(&["leader1", "pio03"], 190, &[Web::Down, Web::Down]);
    lab.trust_all();
    set_release(&lab, 1, "26.11.1");
    let api = LeaderApi::start("127.0.0.1:0");
    api.add_worker("pio03", true, Some("pioreactor_20ml"), Some("1.1"));
    let addr = lab.units[1].addr.clone();
    lab.env.write_config(&format!(
        "[cluster.topology]\nleader_hostname=leader1\nleader_address=10.0.0.1\n\n\
         [cluster.addresses]\npio03={addr}\n\n[ui]\nport={}\n",
        api.port()
    ));
    let rebooting = lab.reboot_when_asked(1, Some(std::time::Duration::from_millis(600)));
    let run = lab
        .env
        .run(&["rename", "pio03", "pio09", "--timeout", "20"]);
    rebooting.join().unwrap();
    run.ok();
    let sent = commands(&lab, &addr);
    // The leader's DELETE made the unit leave the cluster: after the new name is registered and
    // config.ini is back, it joins again, with the model the leader had for it.
    let join = sent
        .iter()
        .position(|c| c.starts_with("pio cluster join --leader-time "))
        .unwrap_or_else(|| panic!("{sent:?}"));
    assert!(
        sent[join].ends_with(" --model-name pioreactor_20ml --model-version 1.1"),
        "{sent:?}"
    );
    let reboot = sent.iter().position(|c| c == "sudo reboot").unwrap();
    assert!(join > reboot, "{sent:?}");
    assert!(
        run.stderr.contains("pio09: joined the cluster"),
        "{}",
        run.stderr
    );
}

#[test]
fn add_warns_of_a_worker_older_than_the_leader() {
    let lab = Lab::start(&["leader1", "newbie"], 200, &[Web::Down, Web::Down]);
    lab.authorize_leader(1);
    set_release(&lab, 1, "24.3.10");
    lab.env.write_config(
        "[cluster.topology]\nleader_hostname=leader1\n\n[cluster.inventory]\nleader1=1\n",
    );
    let site = lab.env.python_site("24.3.10rc0");
    let addr = lab.units[1].addr.clone();
    let same = lab.env.run_with(
        &["workers", "add", "newbie", "-a", &addr, "--no-reboot"],
        &[("PIO_PYTHON_SITE", &site), ("PIO_INVENTORY", "config")],
    );
    same.ok();
    assert!(!same.stderr.contains("older than"), "{}", same.stderr);
    let site = lab.env.python_site("24.5.1");
    let older = lab.env.run_with(
        &["workers", "add", "newbie", "-a", &addr, "--no-reboot"],
        &[("PIO_PYTHON_SITE", &site), ("PIO_INVENTORY", "config")],
    );
    older.ok();
    assert!(
        older
            .stderr
            .contains("newbie runs 24.3.10, older than the leader's 24.5.1: update this worker"),
        "{}",
        older.stderr
    );
    // 24.3 sets the date only: the chrony source came with 24.5.1.
    assert!(
        !commands(&lab, &addr).iter().any(|c| c.contains("chrony")),
        "{:?}",
        commands(&lab, &addr)
    );
}

#[test]
fn a_workers_model_is_read_and_set_in_the_26_11_and_the_older_spelling() {
    let api = LeaderApi::start("127.0.0.1:0");
    api.add_worker("pio02", true, Some("pioreactor_40ml"), Some("1.5"));
    let env = common::Env::new();
    env.write_config(&format!(
        "[cluster.topology]\nleader_hostname=leader1\n\n[ui]\nport={}\n",
        api.port()
    ));
    let model = || -> Value {
        let run = env.run(&["workers", "model", "get", "pio02"]);
        serde_json::from_str(&run.ok().stdout).unwrap()
    };
    assert_eq!(
        model(),
        json!({"model_name": "pioreactor_40ml", "model_version": "1.5"})
    );
    env.run(&["workers", "model", "set", "pio02", "pioreactor_20ml", "1.1"])
        .ok();
    assert_eq!(
        model(),
        json!({"model_name": "pioreactor_20ml", "model_version": "1.1"})
    );
    // The Python CLI's spelling before 26.11, `-v` its version.
    env.run(&[
        "workers",
        "update-model",
        "pio02",
        "-m",
        "pioreactor_40ml",
        "-v",
        "1.5",
    ])
    .ok();
    assert_eq!(
        model(),
        json!({"model_name": "pioreactor_40ml", "model_version": "1.5"})
    );
    let unknown = env.run(&["workers", "model", "get", "pio09"]);
    unknown.code(2);
    assert!(
        unknown.stderr.contains("pio09 is not in the inventory"),
        "{}",
        unknown.stderr
    );
    // The config.ini era keeps no models.
    let old = env.run_with(
        &["workers", "model", "get", "pio02"],
        &[("PIO_INVENTORY", "config")],
    );
    old.code(2);
    assert!(
        old.stderr.contains("keeps no worker models"),
        "{}",
        old.stderr
    );
}

// Releases before 23.5 are not on PyPI: the two tests below pin what their sources say (the login
// `pi` until 22.4, in pios.py's `username="pi"`; 21.5's `pio kill --all` and no `pio blink`, from
// its cli/pio.py), with pretend units that answer `pio version` as those releases do.

#[test]
fn a_unit_from_before_22_4_is_reached_as_pi_unless_ssh_config_names_a_user() {
    let lab = Lab::start_as(&["leader1", "pio02"], 210, &[Web::Down, Web::Down], "pi");
    lab.trust_all();
    lab.write_config("leader1");
    set_release(&lab, 1, "21.11.0");
    let run = lab.env.run(&["workers", "status", "pio02", "--json"]);
    run.ok();
    let rows: Vec<Value> = serde_json::from_str(&run.stdout).unwrap();
    assert_eq!(rows[0]["release"], json!("21.11.0"), "{}", run.stdout);
    lab.env.run(&["workers", "set-active", "pio02", "0"]).ok();
    assert!(commands(&lab, &lab.units[1].addr).contains(&"pio kill --all-jobs".to_string()));
    // A login ~/.ssh/config chose is the one used, as ssh would.
    let config = lab.env.home().join(".ssh/config");
    let mut text = fs::read_to_string(&config).unwrap();
    text.push_str("    User pioreactor\n");
    fs::write(&config, text).unwrap();
    // (pio02 is inactive now: its silence is reported, not an error.)
    let run = lab.env.run(&["workers", "status", "pio02", "--json"]);
    run.ok();
    assert!(
        run.stdout.contains("authentication as pioreactor failed"),
        "{}",
        run.stdout
    );
}

// Real releases as the units: each release's own `pio` (installed from PyPI by
// tests/support/releases/install.sh) answers pio's commands behind the test sshd, in a sandbox
// where its sudo only records (tests/support/releases/unit.sh), and the release's own code then
// says what it reads.

/// The leader's config.ini for the real-release tests, the pretend leader API at `port`.
fn real_config(port: u16) -> String {
    include_str!("support/releases/config.ini").replace("UI_PORT", &port.to_string())
}

/// A config.ini for the release's own code (tests/support/releases/config.ini) whose cluster is
/// leader1 and `unit`, the lab's second unit, at its address and the lab's web port; written as
/// the leader's config.ini.
pub(crate) fn real_cluster_config(lab: &Lab, unit: &str) -> String {
    let config = real_config(lab.web_port)
        .replace(
            "[cluster.addresses]\n",
            &format!("[cluster.addresses]\n{unit}={}\n", lab.units[1].addr),
        )
        .replace("leader1=1\n", &format!("leader1=1\n{unit}=1\n"));
    lab.env.write_config(&config);
    config
}

/// leader1 and w2611, a unit running the real 26.11.1 (see [`Lab::run_release`]) reached with
/// keys, at 127.0.1.<base...>; `None` (said, and a failure under CI=true) where that release is
/// not installed.
pub(crate) fn real_26_11_unit(base: u8, test: &str) -> Option<Lab> {
    let lab = Lab::start(&["leader1", "w2611"], base, &[Web::Down; 2]);
    lab.trust_all();
    let config = real_cluster_config(&lab, "w2611");
    lab.run_release(1, "26.11.1", &config, test).then_some(lab)
}

/// A setting as the unit's release reads it (config.ini, then its unit_config.ini over it).
fn reads(lab: &Lab, i: usize) -> String {
    lab.on_unit(
        i,
        "python -c \"from pioreactor.config import config; print(config.get('stirring.config', 'initial_target_rpm'))\"",
    )
    .trim()
    .to_string()
}

fn chrony_lines(lab: &Lab, i: usize) -> usize {
    fs::read_to_string(lab.unit_dir(i).join("etc/chrony/chrony.conf"))
        .unwrap_or_default()
        .lines()
        .filter(|l| *l == "server 127.0.0.1 iburst prefer")
        .count()
}

#[test]
fn real_releases_of_the_database_era_are_added_synced_renamed_and_removed_as_each_expects() {
    const TEST: &str =
        "real_releases_of_the_database_era_are_added_synced_renamed_and_removed_as_each_expects";
    let lab = Lab::start(&["leader1", "w247", "w267", "w2611"], 220, &[Web::Down; 4]);
    let api = LeaderApi::start("127.0.0.1:0");
    let config = real_config(api.port());
    lab.env.write_config(&config);
    for (i, release) in [(1, "24.7.18"), (2, "26.7.2"), (3, "26.11.1")] {
        if !lab.run_release(i, release, &config, TEST) {
            return;
        }
        lab.authorize_leader(i);
        // What each unit set for itself, and the leader's copy (the truth before 26.4, a
        // leftover of the update since).
        fs::write(
            lab.unit_dir(i).join(".pioreactor/unit_config.ini"),
            "[stirring.config]\ninitial_target_rpm=777\n",
        )
        .unwrap();
        fs::write(
            lab.env
                .config()
                .with_file_name(format!("config_{}.ini", lab.units[i].name)),
            "[stirring.config]\ninitial_target_rpm=400\n",
        )
        .unwrap();
    }
    let add = |i: usize| {
        let (name, addr) = (&lab.units[i].name, &lab.units[i].addr);
        let run = lab.env.run(&[
            "workers",
            "add",
            name,
            "-a",
            addr,
            "-m",
            "pioreactor_40ml",
            "--model-version",
            "1.5",
            "--no-reboot",
            "--timeout",
            "60",
        ]);
        run.ok();
        run
    };
    for i in 1..=3 {
        add(i);
    }
    // 24.7 takes its settings from the leader; 26.x keep their own.
    assert_eq!(reads(&lab, 1), "400");
    assert_eq!(reads(&lab, 2), "777");
    assert_eq!(reads(&lab, 3), "777");
    // 24.7 and 26.7 have the leader as chrony source, once however often they are added.
    add(1);
    add(2);
    assert_eq!(chrony_lines(&lab, 1), 1);
    assert_eq!(chrony_lines(&lab, 2), 1);
    // 26.11 joined by itself: its chrony file, its clock, and the model it now keeps.
    let joined = lab
        .unit_dir(3)
        .join("etc/chrony/conf.d/pioreactor-leader.conf");
    assert_eq!(
        fs::read_to_string(&joined).unwrap(),
        "server 127.0.0.1 iburst prefer\n"
    );
    assert_eq!(chrony_lines(&lab, 3), 0);
    let calls = fs::read_to_string(lab.unit_dir(3).join("calls.log")).unwrap();
    assert!(calls.contains("sudo date -u --set @"), "{calls}");
    let model: Value = serde_json::from_str(&lab.on_unit(3, "pio model get")).unwrap();
    assert_eq!(model["model_name"], "pioreactor_40ml");
    assert_eq!(model["model_version"], "1.5");

    // sync-configs: 24.7 gets the leader's copy again; 26.x units are fetched from, never sent.
    fs::write(
        lab.env.config().with_file_name("config_w247.ini"),
        "[stirring.config]\ninitial_target_rpm=401\n",
    )
    .unwrap();
    lab.env
        .run(&["workers", "sync-configs", "--all", "--timeout", "30"])
        .ok();
    assert_eq!(reads(&lab, 1), "401");
    assert_eq!(reads(&lab, 2), "777");
    assert_eq!(reads(&lab, 3), "777");
    assert_eq!(
        fs::read_to_string(lab.env.config().with_file_name("config_w267.ini")).unwrap(),
        "[stirring.config]\ninitial_target_rpm=777\n"
    );

    // rename on 26.11: the real leader's DELETE has the unit `pio cluster leave`, which removes
    // its chrony file (the pretend leader does not call units: the test removes it); pio has it
    // join again under the new name, with the model the leader has for it.
    fs::remove_file(&joined).unwrap();
    let rebooting = lab.reboot_when_asked(3, Some(std::time::Duration::from_millis(600)));
    lab.env
        .run(&["rename", "w2611", "w2612", "--timeout", "60"])
        .ok();
    rebooting.join().unwrap();
    assert_eq!(
        fs::read_to_string(&joined).unwrap(),
        "server 127.0.0.1 iburst prefer\n"
    );
    assert_eq!(reads(&lab, 3), "777");
    let model: Value = serde_json::from_str(&lab.on_unit(3, "pio model get")).unwrap();
    assert_eq!(model["model_name"], "pioreactor_40ml");

    // Every release named itself to pio (as `workers status` learnt it, over SSH).
    let run = lab
        .env
        .run(&["workers", "status", "w247", "w267", "w2612", "--json"]);
    let rows: Vec<Value> = serde_json::from_str(&run.stdout).unwrap();
    let learnt: Vec<(&str, &str)> = rows
        .iter()
        .map(|r| {
            (
                r["name"].as_str().unwrap(),
                r["release"].as_str().unwrap_or(""),
            )
        })
        .collect();
    assert_eq!(
        learnt,
        [
            ("w247", "24.7.18"),
            ("w267", "26.7.2"),
            ("w2612", "26.11.1")
        ],
        "{}",
        run.stderr
    );

    // remove: the leader's database forgets them; no unit's own file changes.
    lab.env
        .run(&["workers", "remove", "w247", "w267", "w2612"])
        .ok();
    assert!(api.workers().is_empty(), "{:?}", api.workers());
    assert_eq!(reads(&lab, 1), "401");
    assert_eq!(reads(&lab, 2), "777");
    assert_eq!(reads(&lab, 3), "777");
}

#[test]
fn a_real_24_3_unit_of_the_config_ini_era_is_added_synced_renamed_and_removed_from_the_leader() {
    const TEST: &str = "a_real_24_3_unit_of_the_config_ini_era_is_added_synced_renamed_and_removed_from_the_leader";
    let lab = Lab::start(&["leader1", "w243"], 230, &[Web::Down; 2]);
    let config = real_config(1);
    lab.env.write_config(&config);
    if !lab.run_release(1, "24.3.10", &config, TEST) {
        return;
    }
    lab.authorize_leader(1);
    fs::write(
        lab.unit_dir(1).join(".pioreactor/unit_config.ini"),
        "[stirring.config]\ninitial_target_rpm=777\n",
    )
    .unwrap();
    fs::write(
        lab.env.config().with_file_name("config_w243.ini"),
        "[stirring.config]\ninitial_target_rpm=400\n",
    )
    .unwrap();
    let addr = lab.units[1].addr.clone();
    lab.env
        .run_with(
            &[
                "workers",
                "add",
                "w243",
                "-a",
                &addr,
                "--no-reboot",
                "--timeout",
                "60",
            ],
            &[("PIO_INVENTORY", "config")],
        )
        .ok();
    assert_eq!(reads(&lab, 1), "400");
    // 24.3 predates the chrony source: the date only.
    assert_eq!(chrony_lines(&lab, 1), 0);
    let inventory = lab.on_unit(
        1,
        "python -c \"from pioreactor.config import config; print(config.get('cluster.inventory', 'w243'))\"",
    );
    assert_eq!(
        inventory.trim(),
        "1",
        "the release reads itself in the inventory"
    );
    // Halting: 24.3's own `pio kill --all-jobs` (it waits for MQTT, a few seconds).
    lab.env
        .run_with(
            &["workers", "set-active", "w243", "0", "--timeout", "40"],
            &[("PIO_INVENTORY", "config")],
        )
        .ok();
    let inventory = lab.on_unit(
        1,
        "python -c \"from pioreactor.config import config; print(config.get('cluster.inventory', 'w243'))\"",
    );
    assert_eq!(inventory.trim(), "0");
    // sync-configs: the leader's copy is its settings.
    fs::write(
        lab.env.config().with_file_name("config_w243.ini"),
        "[stirring.config]\ninitial_target_rpm=401\n",
    )
    .unwrap();
    let config_era = [("PIO_INVENTORY", "config")];
    lab.env
        .run_with(
            &["workers", "sync-configs", "w243", "--timeout", "30"],
            &config_era,
        )
        .ok();
    assert_eq!(reads(&lab, 1), "401");
    // rename: it reads itself under its new name, its settings with it.
    let rebooting = lab.reboot_when_asked(1, Some(std::time::Duration::from_millis(600)));
    lab.env
        .run_with(&["rename", "w243", "w244", "--timeout", "60"], &config_era)
        .ok();
    rebooting.join().unwrap();
    let in_inventory = |name: &str| {
        lab.on_unit(
            1,
            &format!(
                "python -c \"from pioreactor.config import config; print(config.has_option('cluster.inventory', '{name}'))\""
            ),
        )
        .trim()
        .to_string()
    };
    assert_eq!(in_inventory("w244"), "True");
    assert_eq!(in_inventory("w243"), "False");
    assert_eq!(reads(&lab, 1), "401");
    // remove: its jobs halted by its own `pio kill --all-jobs`, and it reads itself gone.
    let _ = fs::remove_file(lab.unit_dir(1).join("down"));
    lab.env
        .run_with(
            &["workers", "remove", "w244", "--timeout", "40"],
            &config_era,
        )
        .ok();
    assert_eq!(in_inventory("w244"), "False");
    assert!(
        commands(&lab, &addr).contains(&"pio kill --all-jobs".to_string()),
        "{:?}",
        commands(&lab, &addr)
    );
    assert_eq!(lab.on_unit(1, "pio version").trim(), "24.3.10");
}

#[test]
fn list_releases_asks_each_unit_and_json_always_has_the_key() {
    let lab = cluster(&["leader1", "pio02", "pio03"], 240);
    set_release(&lab, 1, "26.7.2");
    fs::write(lab.unit_dir(2).join("no-version"), "").unwrap();
    let plain = lab.env.run(&["workers", "list", "--json"]);
    let rows: Vec<Value> = serde_json::from_str(&plain.ok().stdout).unwrap();
    assert!(rows.iter().all(|r| r["release"].is_null()), "{rows:?}");
    assert!(lab.ssh_log().is_empty(), "a plain list asks no unit");
    let run = lab
        .env
        .run(&["workers", "list", "--json", "--releases", "--timeout", "5"]);
    let rows: Vec<Value> = serde_json::from_str(&run.ok().stdout).unwrap();
    let release = |n: &str| rows.iter().find(|r| r["name"] == n).unwrap()["release"].clone();
    assert_eq!(release("pio02"), json!("26.7.2"));
    // pio03 has no Python stack answering: listed, release unknown, said why.
    assert_eq!(release("pio03"), Value::Null);
    assert!(
        run.stderr.contains("pio03: release unknown"),
        "{}",
        run.stderr
    );
    let table = lab.env.run(&["workers", "list", "--releases"]);
    assert!(table.ok().stdout.contains("26.7.2"), "{}", table.stdout);
}

#[test]
fn a_real_26_11_unit_names_its_release_through_its_own_web_app() {
    const TEST: &str = "a_real_26_11_unit_names_its_release_through_its_own_web_app";
    let lab = Lab::start(&["leader1", "w2611"], 250, &[Web::Down; 2]);
    lab.trust_all();
    // (The unit's web app and pio meet on the lab's web port: [ui] port.)
    let mut config = real_config(lab.web_port);
    config = config.replace(
        "[cluster.addresses]\n",
        &format!("[cluster.addresses]\nw2611={}\n", lab.units[1].addr),
    );
    config = config.replace("leader1=1\n", "leader1=1\nw2611=1\n");
    lab.env.write_config(&config);
    if !lab.run_release(1, "26.11.1", &config, TEST) {
        return;
    }
    // The unit's job table, made by the release's own code as its first job would: no job runs.
    lab.on_unit(
        1,
        "python -c 'from pioreactor.utils.job_manager import JobManager; JobManager()'",
    );
    let _web = lab.serve_release_web(1);
    fs::write(
        lab.unit_dir(1).join(".pioreactor/unit_config.ini"),
        "[stirring.config]\ninitial_target_rpm=777\n",
    )
    .unwrap();
    let run = lab.env.run_with(
        &["workers", "status", "w2611", "--json"],
        &[("PIO_INVENTORY", "config")],
    );
    let rows: Vec<Value> = serde_json::from_str(&run.stdout).unwrap_or_default();
    assert_eq!(rows.len(), 1, "{}\n{}", run.stdout, run.stderr);
    assert_eq!(rows[0]["via"], "http", "{rows:?}");
    assert_eq!(rows[0]["release"], "26.11.1", "{rows:?}");
    // Its own web app says its monitor job does not run: 404, "No settings found for job.".
    assert_eq!(
        rows[0]["monitor"],
        "not running",
        "{rows:?}\n{}\n{}",
        fs::read_to_string(lab.unit_dir(1).join("web.log")).unwrap_or_default(),
        fs::read_to_string(lab.unit_dir(1).join("web.err")).unwrap_or_default()
    );
    // sync-configs learns it there too, and asks nothing more of the unit over SSH.
    lab.env
        .run_with(
            &["workers", "sync-configs", "w2611"],
            &[("PIO_INVENTORY", "config")],
        )
        .ok();
    let sent = commands(&lab, &lab.units[1].addr);
    assert!(!sent.contains(&"pio version".to_string()), "{sent:?}");
    assert_eq!(reads(&lab, 1), "777");
}
