//! `pio cluster update`: the workers first, then the leader, each waited for until it answers with
//! its new release; the first failure stops it with the leader untouched.

use crate::common;

use std::fs;

use common::lab::{Lab, Web};
use serde_json::Value;

const UPDATE: &str = "pio update app --version 26.11.1";
const TO_26_11_1: &[&str] = &[
    "--json",
    "cluster",
    "update",
    "--version",
    "26.11.1",
    "--yes",
];

/// leader1 (also a worker), pio02 and pio03 at 26.7.2, reached over SSH.
fn lab(base: u8) -> (Lab, String) {
    let lab = Lab::start(&["leader1", "pio02", "pio03"], base, &[Web::Down; 3]);
    lab.trust_all();
    let a: Vec<&str> = lab.units.iter().map(|u| u.addr.as_str()).collect();
    let config = format!(
        "[cluster.topology]\nleader_hostname=leader1\n\n[cluster.inventory]\nleader1=1\npio02=1\npio03=0\n\n\
         [cluster.addresses]\nleader1={}\npio02={}\npio03={}\n",
        a[0], a[1], a[2]
    );
    lab.env.write_config(&config);
    for i in 0..3 {
        fs::write(lab.unit_dir(i).join("version"), "26.7.2\n").unwrap();
    }
    (lab, config)
}

fn release_of(lab: &Lab, i: usize) -> String {
    fs::read_to_string(lab.unit_dir(i).join("version"))
        .unwrap()
        .trim()
        .to_string()
}

/// Each unit's (state, release after) in the JSON document, in its order.
fn states(stdout: &str) -> Vec<(String, String, Option<String>)> {
    let v: Value = serde_json::from_str(stdout).unwrap_or_else(|e| panic!("{e}: {stdout}"));
    v["units"]
        .as_array()
        .unwrap()
        .iter()
        .map(|u| {
            let s = |k: &str| u[k].as_str().map(str::to_string);
            (s("unit").unwrap(), s("state").unwrap(), s("release_after"))
        })
        .collect()
}

#[test]
fn the_workers_first_then_the_leader() {
    let (lab, config) = lab(100);
    let run = lab.env.run(TO_26_11_1);
    run.ok();
    let after = Some("26.11.1".to_string());
    assert_eq!(
        states(&run.stdout),
        [
            ("pio02".into(), "updated".into(), after.clone()),
            ("pio03".into(), "updated".into(), after.clone()),
            ("leader1".into(), "updated".into(), after.clone()),
        ]
    );
    for i in 0..3 {
        assert_eq!(release_of(&lab, i), "26.11.1");
    }
    // The leader was asked only after every worker had answered with its new release.
    let asked = lab.asked(UPDATE, "");
    let leader = asked["leader1"];
    assert!(
        asked["pio02"] < leader && asked["pio03"] < leader,
        "{asked:?}"
    );
    // Each worker answered with its release after its update and before the leader's began.
    for (i, name) in [(1, "pio02"), (2, "pio03")] {
        let asked_release = lab.ssh_log().into_iter().any(|(t, a, c)| {
            a == lab.units[i].addr && c.contains("pio version") && t > asked[name] && t < leader
        });
        assert!(asked_release, "{name}: {:?}", lab.ssh_log());
    }
    assert_eq!(lab.env.read_config(), config);
}

#[test]
fn a_failed_worker_stops_the_update_and_leaves_the_leader_untouched() {
    let (lab, _) = lab(103);
    fs::write(lab.unit_dir(2).join("update-fails"), "").unwrap();
    let run = lab.env.run(TO_26_11_1);
    run.code(1);
    let states = states(&run.stdout);
    assert_eq!(states[1].0, "pio03");
    assert_eq!(states[1].1, "failed");
    assert_eq!(
        (states[2].0.as_str(), states[2].1.as_str()),
        ("leader1", "not tried")
    );
    assert!(
        run.stderr.contains("the update failed on pio03")
            && run
                .stderr
                .contains("not tried, so left as they were: leader1"),
        "{}",
        run.stderr
    );
    // The leader was never asked to update, and runs what it ran.
    assert!(!lab.asked(UPDATE, "").contains_key("leader1"));
    assert_eq!(release_of(&lab, 0), "26.7.2");
    assert_eq!(release_of(&lab, 1), "26.11.1");
}

#[test]
fn releases_that_differ_at_the_end_are_exit_1() {
    let (lab, _) = lab(106);
    // Without --version each takes the Python CLI's default, which here differs on pio03.
    for (i, to) in [(0, "26.11.1"), (1, "26.11.1"), (2, "26.11.2")] {
        fs::write(lab.unit_dir(i).join("update-to"), to).unwrap();
    }
    let run = lab.env.run(&["cluster", "update", "--yes"]);
    run.code(1);
    assert!(
        run.stderr.contains("releases differ") && run.stderr.contains("pio03 26.11.2"),
        "{}",
        run.stderr
    );
}

#[test]
fn a_dry_run_shows_the_order_and_sends_nothing() {
    let (lab, config) = lab(109);
    let run = lab
        .env
        .run(&["cluster", "update", "--version", "26.11.1", "--dry-run"]);
    run.ok();
    let workers = run
        .stdout
        .find("pio02 (26.7.2), pio03 (26.7.2)")
        .expect(&run.stdout);
    let leader = run.stdout.find("leader1 (26.7.2)").expect(&run.stdout);
    assert!(workers < leader, "{}", run.stdout);
    assert!(run.stdout.contains(UPDATE), "{}", run.stdout);
    // Without --yes and without a terminal: refused, nothing sent.
    let run = lab.env.run(&["cluster", "update"]);
    run.code(5);
    assert!(lab.asked(UPDATE, "").is_empty() && lab.asked("pio update app", "").is_empty());
    assert_eq!(lab.env.read_config(), config);
    // `pio cluster leave` and `join` are still the Python CLI's.
    let run = lab.env.run(&["cluster", "leave"]);
    assert!(!run.stderr.contains("cluster update"), "{}", run.stderr);
}

#[test]
fn a_unit_with_the_web_api_is_updated_through_it() {
    let lab = Lab::start(&["leader1", "pio02"], 118, &[Web::Down, Web::Up]);
    lab.trust_all();
    lab.write_config("leader1");
    for i in 0..2 {
        fs::write(lab.unit_dir(i).join("version"), "26.7.2\n").unwrap();
    }
    let run = lab.env.run(TO_26_11_1);
    run.ok();
    assert_eq!(release_of(&lab, 1), "26.11.1");
    // pio02 through its web API's task, leader1 (no web API) over SSH.
    let asked = lab.asked(UPDATE, "POST /unit_api/system/update/app");
    assert_eq!(asked.len(), 2, "{asked:?}");
    let over_ssh: Vec<String> = lab
        .ssh_log()
        .into_iter()
        .filter(|(_, _, c)| c == UPDATE)
        .map(|(_, a, _)| a)
        .collect();
    assert_eq!(over_ssh, [lab.units[0].addr.clone()]);
    // Its task failing fails it (and the leader is not tried).
    fs::write(lab.unit_dir(1).join("version"), "26.7.2\n").unwrap();
    fs::write(lab.unit_dir(0).join("version"), "26.7.2\n").unwrap();
    fs::write(lab.unit_dir(1).join("update-fails"), "").unwrap();
    let run = lab.env.run(TO_26_11_1);
    run.code(1);
    assert_eq!(release_of(&lab, 0), "26.7.2");
}
