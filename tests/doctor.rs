//! `pio doctor` on a pretend cluster with one unit per fault operators get stuck on.

use crate::common;

use std::collections::BTreeMap;
use std::fs;

use common::lab::{Lab, Web};
use serde_json::Value;

const FAKE_KEY: &str =
    "ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIOkSPTM9uTxlYvMgSYeB5pxXaAvMglg7qdnDxGzZN1ia";

/// The units, each with one fault (pio-ok has none).
const UNITS: [&str; 9] = [
    "leader1", "pio-ok", "pio-key", "pio-pw", "pio-port", "pio-ver", "pio-skew", "pio-late",
    "pio-name",
];

/// (unit, check) -> (verdict, detail, fix)
type Report = BTreeMap<(String, String), (String, String, String)>;

fn report(stdout: &str) -> Report {
    let v: Value = serde_json::from_str(stdout).unwrap_or_else(|e| panic!("{e}: {stdout}"));
    v.as_array()
        .unwrap()
        .iter()
        .map(|c| {
            let s = |k: &str| c[k].as_str().unwrap_or("").to_string();
            (
                (s("unit"), s("check")),
                (s("verdict"), s("detail"), s("fix")),
            )
        })
        .collect()
}

#[test]
fn each_fault_is_named_with_its_fix_and_healthy_units_stay_ok() {
    let mut web = [Web::Up; 9];
    web[4] = Web::Down; // pio-port: its web server is not on the [ui] port
    let lab = Lab::start(&UNITS, 110, &web);
    let idx = |n: &str| UNITS.iter().position(|u| *u == n).unwrap();
    // Keys: everyone accepts this leader's key and is known, but for the faulty ones.
    for (i, unit) in UNITS.iter().enumerate() {
        if *unit != "pio-pw" {
            lab.authorize_leader(i);
        }
        if *unit != "pio-key" {
            lab.trust_host_key(i);
        }
    }
    let known = lab.env.home().join(".ssh/known_hosts");
    let mut text = fs::read_to_string(&known).unwrap();
    text.push_str(&format!(
        "[{}]:{} {FAKE_KEY}\n",
        lab.units[idx("pio-key")].addr,
        lab.ssh_port
    ));
    fs::write(&known, text).unwrap();
    fs::write(lab.unit_dir(idx("pio-ver")).join("version"), "25.9.1\n").unwrap();
    fs::write(lab.unit_dir(idx("pio-skew")).join("skew"), "30").unwrap();
    fs::write(lab.unit_dir(idx("pio-late")).join("skew"), "-600").unwrap();
    fs::write(
        lab.unit_dir(idx("pio-name")).join("hostname"),
        "pio-other\n",
    )
    .unwrap();
    // The config, with one more unit that has no address (and mDNS is off), and each unit's copy.
    let mut config = lab.write_config("leader1");
    config = config.replace("pio-name=1\n", "pio-name=1\npio-lost=1\n");
    lab.env.write_config(&config);
    for i in 0..UNITS.len() {
        fs::write(lab.unit_dir(i).join(".pioreactor/config.ini"), &config).unwrap();
    }
    // The release the units run (a database-era one): the inventory is named config.ini here.
    let site = lab.env.python_site("25.11.1");

    let run = lab.env.run_with(
        &["--json", "doctor"],
        &[("PIO_PYTHON_SITE", &site), ("PIO_INVENTORY", "config")],
    );
    run.code(1);
    let r = report(&run.stdout);
    let verdict = |u: &str, c: &str| -> &str {
        r.get(&(u.to_string(), c.to_string()))
            .map(|v| v.0.as_str())
            .unwrap_or_else(|| panic!("no {c} check for {u}: {r:?}"))
    };
    let fix = |u: &str, c: &str| r[&(u.to_string(), c.to_string())].2.clone();
    let detail = |u: &str, c: &str| r[&(u.to_string(), c.to_string())].1.clone();

    // This unit.
    for c in ["config.ini", "leader name", "inventory", "ssh key"] {
        assert_eq!(verdict("leader1", c), "ok", "{c}: {r:?}");
    }
    // Healthy units: every check ok.
    for u in ["leader1", "pio-ok"] {
        for c in [
            "address",
            "ssh",
            "hostname",
            "web api",
            "version",
            "clock",
            "own inventory",
        ] {
            assert_eq!(verdict(u, c), "ok", "{u} {c}: {r:?}");
        }
    }
    // One fault each.
    assert_eq!(verdict("pio-lost", "address"), "fail");
    assert!(fix("pio-lost", "address").contains("pio workers add pio-lost -a"));

    assert_eq!(verdict("pio-key", "ssh"), "fail");
    assert!(
        detail("pio-key", "ssh").contains("HOST KEY CHANGED"),
        "{r:?}"
    );
    assert!(
        detail("pio-key", "ssh").contains("SHA256:")
            && fix("pio-key", "ssh").contains(&format!(
                "ssh-keygen -R '[{}]:{}'",
                lab.units[idx("pio-key")].addr,
                lab.ssh_port
            )),
        "{r:?}"
    );

    assert_eq!(verdict("pio-pw", "ssh"), "fail");
    assert!(detail("pio-pw", "ssh").contains("not accepted"));
    assert!(fix("pio-pw", "ssh").contains("pio workers add pio-pw --no-reboot"));

    assert_eq!(verdict("pio-port", "web api"), "fail");
    assert!(fix("pio-port", "web api").contains(&format!("port {}", lab.web_port)));
    assert_eq!(verdict("pio-port", "ssh"), "ok");

    assert_eq!(verdict("pio-ver", "version"), "warn");
    assert!(
        detail("pio-ver", "version").contains("runs 25.9.1, older than the leader's 25.11.1"),
        "{r:?}"
    );
    assert!(fix("pio-ver", "version").contains("Update the workers first"));

    assert_eq!(verdict("pio-skew", "clock"), "warn");
    assert!(detail("pio-skew", "clock").contains("ahead of"), "{r:?}");
    assert!(fix("pio-skew", "clock").contains("sudo date -u --set=@$(date -u +%s)"));
    assert_eq!(verdict("pio-late", "clock"), "fail");
    assert!(detail("pio-late", "clock").contains("behind"), "{r:?}");

    assert_eq!(verdict("pio-name", "hostname"), "fail");
    assert!(detail("pio-name", "hostname").contains("answers as 'pio-other'"));

    // The plain report: a table, then the fixes.
    let run = lab.env.run_with(
        &["doctor", "pio-ok", "pio-ver"],
        &[("PIO_PYTHON_SITE", &site), ("PIO_INVENTORY", "config")],
    );
    assert!(
        run.ok().stdout.contains("fix pio-ver version:"),
        "{}",
        run.stdout
    );
    // Warnings alone pass, unless --strict.
    lab.env
        .run_with(
            &["doctor", "pio-ver", "--strict"],
            &[("PIO_PYTHON_SITE", &site), ("PIO_INVENTORY", "config")],
        )
        .code(1);
}

#[test]
fn clock_skew_is_also_read_from_the_web_api_and_a_renamed_leader_is_named() {
    let lab = Lab::start(&["leader1", "pio02"], 130, &[Web::Up, Web::Up]);
    // No SSH key accepted: the clock comes from the web API's utc_time.
    fs::write(lab.unit_dir(1).join("skew"), "90").unwrap();
    let config = lab.write_config("leader1");
    let run = lab.env.run(&["--json", "doctor", "pio02"]);
    let r = report(&run.code(1).stdout);
    let clock = &r[&("pio02".to_string(), "clock".to_string())];
    assert_eq!(clock.0, "fail", "{r:?}");
    assert!(clock.1.contains("utc_time of the web API"), "{clock:?}");

    // This unit is no longer called what leader_hostname says.
    let run = lab.env.run_with(
        &["--json", "doctor", "pio02"],
        &[("PIO_HOSTNAME", "leader9")],
    );
    let r = report(&run.code(1).stdout);
    let leader = &r[&("leader9".to_string(), "leader name".to_string())];
    assert_eq!(leader.0, "fail");
    assert!(leader.2.contains("leader_hostname=leader9"), "{leader:?}");
    assert_eq!(lab.env.read_config(), config);
}

#[test]
fn a_unit_that_stalls_costs_one_timeout_and_holds_up_no_other() {
    let lab = Lab::start(&["leader1", "pio02"], 140, &[Web::Up, Web::Up]);
    lab.trust_all();
    // pio-hole accepts connections on its SSH and web ports and never says a word.
    let _ssh = std::net::TcpListener::bind(("127.0.3.20", lab.ssh_port)).unwrap();
    let _web = std::net::TcpListener::bind(("127.0.3.20", lab.web_port)).unwrap();
    let config = lab
        .write_config("leader1")
        .replace("pio02=1\n", "pio02=1\npio-hole=1\n")
        .replace("\n\n[ui]", "\npio-hole=127.0.3.20\n\n[ui]");
    lab.env.write_config(&config);
    let start = std::time::Instant::now();
    let run = lab.env.run_with(
        &["--json", "doctor", "--timeout", "3"],
        &[("PIO_INVENTORY", "config")],
    );
    let took = start.elapsed();
    let r = report(&run.code(1).stdout);
    // SSH and web checks of one unit share its 3 s; other units are not held up.
    assert!(took < std::time::Duration::from_secs(6), "{took:?}");
    assert_eq!(
        r[&("pio-hole".to_string(), "ssh".to_string())].0,
        "fail",
        "{r:?}"
    );
    assert_eq!(
        r[&("pio-hole".to_string(), "web api".to_string())].0,
        "fail",
        "{r:?}"
    );
    assert_eq!(
        r[&("pio02".to_string(), "ssh".to_string())].0,
        "ok",
        "{r:?}"
    );
    assert_eq!(
        r[&("pio02".to_string(), "web api".to_string())].0,
        "ok",
        "{r:?}"
    );
}

#[test]
fn fixes_on_an_80_column_terminal_wrap_between_words_never_inside_a_command() {
    // pio02's host key is not known: its fix names two commands.
    let lab = Lab::start(&["leader1", "pio02"], 240, &[Web::Down, Web::Down]);
    lab.write_config("leader1");
    let screen = lab
        .env
        .on_terminal_of(Some(80), "--color never doctor pio02", &[], "");
    let fix: Vec<&str> = screen
        .lines()
        .skip_while(|l| !l.starts_with("fix pio02 ssh:"))
        .take_while(|l| l.starts_with("fix pio02 ssh:") || l.starts_with("    "))
        .collect();
    assert!(fix.len() > 1, "one long line: {screen}");
    for line in &fix {
        assert!(line.trim_end().chars().count() <= 80, "{line:?}\n{screen}");
        assert_eq!(
            line.matches('`').count() % 2,
            0,
            "a command split: {line:?}"
        );
    }
    assert!(
        fix.iter()
            .any(|l| l.contains("`pio workers add pio02 --no-reboot`")),
        "{fix:?}"
    );
}
