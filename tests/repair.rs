//! `pio repair`: the web API's task where the unit answers, else `pio repair` over SSH; a unit
//! of a release before 26.5 is named and sent nothing.

use crate::common;

use std::fs;

use common::lab::{Lab, Web};
use serde_json::Value;

#[test]
fn each_unit_is_repaired_the_way_its_release_has_it() {
    let lab = Lab::start(
        &["leader1", "pio02", "pio03", "pio04"],
        112,
        &[Web::Down, Web::Up, Web::Down, Web::Down],
    );
    lab.trust_all();
    lab.write_config("leader1");
    for (i, release) in [(1, "26.11.1"), (2, "26.7.2"), (3, "26.3.0")] {
        fs::write(lab.unit_dir(i).join("version"), release).unwrap();
    }
    let run = lab
        .env
        .run(&["--json", "repair", "pio02", "pio03", "pio04"]);
    run.code(1);
    let v: Value = serde_json::from_str(&run.stdout).unwrap();
    let units = v["units"].as_array().unwrap();
    let row = |name: &str| units.iter().find(|u| u["unit"] == name).unwrap().clone();
    assert_eq!(
        (row("pio02")["via"].clone(), row("pio02")["ok"].clone()),
        ("http".into(), true.into())
    );
    assert_eq!(
        (row("pio03")["via"].clone(), row("pio03")["ok"].clone()),
        ("ssh".into(), true.into())
    );
    assert_eq!(row("pio03")["message"], "Repair complete.");
    assert_eq!(row("pio04")["ok"], false);
    assert!(
        row("pio04")["message"]
            .as_str()
            .unwrap()
            .contains("26.3.0, which has no repair"),
        "{v}"
    );
    assert_eq!(v["failed"], serde_json::json!(["pio04"]));
    assert!(
        run.stderr.contains("1 of 3 units not repaired: pio04"),
        "{}",
        run.stderr
    );
    // pio04 was asked its release, nothing else.
    let asked = lab.asked("pio repair", "POST /unit_api/system/repair");
    let mut names: Vec<&String> = asked.keys().collect();
    names.sort();
    assert_eq!(names, ["pio02", "pio03"]);
}

#[test]
fn a_failed_repair_is_named_and_a_dry_run_sends_nothing() {
    let lab = Lab::start(&["leader1", "pio02"], 116, &[Web::Down, Web::Down]);
    lab.trust_all();
    lab.write_config("leader1");
    fs::write(lab.unit_dir(1).join("version"), "26.11.1").unwrap();
    let run = lab.env.run(&["repair", "--all", "--dry-run"]);
    run.ok();
    assert!(run.stdout.contains("would repair pio02"), "{}", run.stdout);
    let run = lab.env.run(&["--json", "repair", "--all", "--dry-run"]);
    let plan: Value = serde_json::from_str(&run.ok().stdout).unwrap();
    assert_eq!(
        (&plan["command"], &plan["dry_run"]),
        (&Value::from("repair"), &Value::from(true))
    );
    let planned: Vec<&Value> = plan["units"]
        .as_array()
        .unwrap()
        .iter()
        .map(|u| &u["unit"])
        .collect();
    assert_eq!(planned, [&Value::from("leader1"), &Value::from("pio02")]);
    assert!(
        lab.asked("pio repair", "POST /unit_api/system/repair")
            .is_empty()
    );
    fs::write(lab.unit_dir(1).join("fail"), "").unwrap();
    let run = lab.env.run(&["repair", "pio02"]);
    run.code(1);
    assert!(run.stderr.contains("refused by the test"), "{}", run.stderr);
    // Neither named nor --all: a usage error.
    lab.env.run(&["repair"]).code(2);
}
