//! `pio clock` against the test lab: units whose web API has the clock endpoint, units read with
//! `date` over SSH, `--sync` the way each unit's release has it (the shim and the lab's web
//! servers only move a pretend clock: nothing here sets a real one), and real releases.

use crate::common;

use std::fs;
use std::time::Instant;

use common::lab::{Lab, Web};
use serde_json::Value;

/// leader1 and workers pio02.. at 127.0.1.<base...>; every unit reachable with keys.
fn lab(web: &[Web], base: u8) -> Lab {
    let mut names = vec!["leader1".to_string()];
    names.extend((2..=web.len()).map(|i| format!("pio{i:02}")));
    let refs: Vec<&str> = names.iter().map(String::as_str).collect();
    let lab = Lab::start(&refs, base, web);
    lab.write_config("leader1");
    lab.trust_all();
    lab
}

fn skew(lab: &Lab, i: usize, seconds: i64) {
    fs::write(lab.unit_dir(i).join("skew"), seconds.to_string()).unwrap();
}

fn set_release(lab: &Lab, i: usize, release: &str) {
    fs::write(lab.unit_dir(i).join("version"), format!("{release}\n")).unwrap();
}

fn chrony_source(lab: &Lab, i: usize) {
    let dir = lab.unit_dir(i).join("etc/chrony");
    fs::create_dir_all(&dir).unwrap();
    fs::write(
        dir.join("chrony.conf"),
        "pool 2.debian.pool.ntp.org iburst\nserver leader1.local iburst prefer\n",
    )
    .unwrap();
}

fn json(run: &common::Run) -> Value {
    serde_json::from_str(&run.stdout)
        .unwrap_or_else(|e| panic!("{e}: {}\n{}", run.stdout, run.stderr))
}

fn row<'a>(v: &'a Value, unit: &str) -> &'a Value {
    v["units"]
        .as_array()
        .unwrap()
        .iter()
        .find(|r| r["unit"] == unit)
        .unwrap_or_else(|| panic!("no {unit} in {v}"))
}

fn offset(v: &Value, unit: &str) -> f64 {
    row(v, unit)["offset"]
        .as_f64()
        .unwrap_or_else(|| panic!("{unit}: {v}"))
}

/// The reading's own uncertainty: a clock read at an unknown moment within the round trip is off
/// by at most half of it, the unit's and the leader's (a loaded machine stretches both).
fn uncertainty(v: &Value, unit: &str) -> f64 {
    let half = |u: &str| row(v, u)["round_trip"].as_f64().unwrap_or(0.0) / 2.0;
    half(unit) + half(v["leader"].as_str().unwrap())
}

/// `unit`'s offset is `expected` within `slack` seconds plus what its reading could not know.
fn assert_offset(v: &Value, unit: &str, expected: f64, slack: f64) {
    let bound = slack + uncertainty(v, unit);
    assert!(
        (offset(v, unit) - expected).abs() <= bound,
        "{unit}: {expected} within {bound} s expected: {v}"
    );
}

#[test]
fn offsets_over_http_and_ssh_those_beyond_the_tolerance_flagged() {
    // pio02: web API, on time. pio03: no web API, 100 s ahead (date over SSH). pio04: web API,
    // 30 s behind. pio05: no web API and its SSH refuses this leader's key.
    let lab = lab(&[Web::Up, Web::Up, Web::Down, Web::Up, Web::Down], 40);
    skew(&lab, 2, 100);
    skew(&lab, 3, -30);
    fs::remove_file(lab.unit_dir(4).join(".ssh/authorized_keys")).unwrap();
    let run = lab.env.run(&["--json", "clock"]);
    run.code(1);
    let v = json(&run);
    assert_eq!(v["command"], "clock");
    assert_eq!(v["leader"], "leader1");
    assert_eq!(v["tolerance"], 2.0);
    let leader = row(&v, "leader1");
    assert_eq!(
        (leader["via"].as_str(), leader["offset"].as_f64()),
        (Some("local"), Some(0.0))
    );
    assert_eq!(row(&v, "pio02")["via"], "http");
    assert_offset(&v, "pio02", 0.0, 0.25);
    assert_eq!(row(&v, "pio03")["via"], "ssh");
    assert_offset(&v, "pio03", 100.0, 0.25);
    assert!(row(&v, "pio03")["round_trip"].as_f64().unwrap() > 0.0);
    assert_eq!(row(&v, "pio04")["via"], "http");
    assert_offset(&v, "pio04", -30.0, 0.25);
    assert_eq!(row(&v, "pio05")["offset"], Value::Null);
    assert!(
        row(&v, "pio05")["error"]
            .as_str()
            .unwrap()
            .contains("over SSH"),
        "{v}"
    );
    assert_eq!(v["beyond"], serde_json::json!(["pio03", "pio04"]));
    assert_eq!(v["failed"], serde_json::json!(["pio05"]));
    assert!(
        run.stderr
            .contains("off the leader's clock by more than 2 s: pio03, pio04"),
        "{}",
        run.stderr
    );
    // Reading changes nothing: no POST, no date, no chrony.
    assert!(lab.http_log().iter().all(|(_, _, r)| r.starts_with("GET ")));
    assert!(
        lab.ssh_log().iter().all(|(_, _, c)| c == "date -u +%s.%N"),
        "{:?}",
        lab.ssh_log()
    );

    // The table, and a tolerance wide enough for pio04 (pio03 and pio05 still fail).
    let run = lab.env.run(&["clock", "pio02,pio03", "--tolerance", "150"]);
    run.ok();
    let lines: Vec<&str> = run.stdout.lines().collect();
    assert!(
        lines[0].starts_with("UNIT") && lines[0].contains("ROUND TRIP"),
        "{}",
        run.stdout
    );
    assert!(
        lines[1].starts_with("leader1") && lines[1].contains("reference"),
        "{}",
        run.stdout
    );
    assert!(
        lines[3].starts_with("pio03") && lines[3].contains("+10") && lines[3].ends_with("ok"),
        "{}",
        run.stdout
    );
}

#[test]
fn sync_brings_each_unit_to_the_leader_the_way_its_release_has_it() {
    // pio02: 25.11 web API (POST utc_clock, chronyd on the unit). pio03: 26.7.2 without a web
    // server, chrony has the leader: chronyd over SSH. pio04: 24.3.10 (no chrony source from
    // its release): date. pio05: 26.7.2 whose chrony has no leader source: date. pio06: on time,
    // left alone.
    let lab = lab(
        &[Web::Up, Web::Up, Web::Down, Web::Down, Web::Down, Web::Up],
        50,
    );
    for (i, s) in [(1, 50), (2, -40), (3, 90), (4, 300)] {
        skew(&lab, i, s);
    }
    set_release(&lab, 2, "26.7.2");
    set_release(&lab, 4, "26.7.2");
    chrony_source(&lab, 2);
    let run = lab.env.run(&["--json", "clock", "--sync"]);
    let v = json(&run);
    run.ok();
    for unit in ["pio02", "pio03", "pio04", "pio05", "pio06"] {
        // Set at the end of its exec's round trip: up to one more of it behind.
        assert_offset(&v, unit, 0.0, 1.0 + 2.0 * uncertainty(&v, unit));
        assert_eq!(row(&v, unit)["beyond"], false);
    }
    let synced = |u: &str| row(&v, u)["synced"].clone();
    assert_eq!(synced("pio02")["via"], "http");
    assert!(
        synced("pio02")["message"]
            .as_str()
            .unwrap()
            .contains("synced by chrony (POST /unit_api/system/utc_clock)")
    );
    assert!((synced("pio02")["offset_before"].as_f64().unwrap() - 50.0).abs() < 1.5);
    assert_eq!(synced("pio03")["via"], "ssh");
    assert!(
        synced("pio03")["message"]
            .as_str()
            .unwrap()
            .contains("synced by chrony (`sudo chronyd -q`)"),
        "{v}"
    );
    assert!(
        synced("pio04")["message"]
            .as_str()
            .unwrap()
            .starts_with("set to the leader's time (`sudo date -u --set=@"),
        "{v}"
    );
    assert!(
        synced("pio05")["message"].as_str().unwrap().starts_with(
            "chrony does not have leader1.local as a source: set to the leader's time"
        ),
        "{v}"
    );
    assert_eq!(synced("pio06"), Value::Null);
    assert_eq!(row(&v, "leader1")["synced"], Value::Null);
    // What each unit was sent: the leader and pio06 nothing that changes a clock.
    let sent = |i: usize| -> Vec<String> {
        lab.ssh_log()
            .into_iter()
            .filter(|(_, a, c)| {
                *a == lab.units[i].addr && c != "date -u +%s.%N" && c != "pio version"
            })
            .map(|(_, _, c)| c)
            .collect()
    };
    assert!(sent(0).is_empty() && sent(5).is_empty() && sent(1).is_empty());
    assert!(
        sent(2)[0].starts_with("if ! grep -qsE") && sent(2)[0].contains("sudo chronyd -q -t "),
        "{:?}",
        sent(2)
    );
    assert!(
        sent(3)[0].starts_with("sudo date -u --set=@"),
        "{:?}",
        sent(3)
    );
    assert_eq!(sent(4).len(), 2, "{:?}", sent(4));
    let posts: Vec<String> = lab
        .http_log()
        .into_iter()
        .filter(|(_, _, r)| r.starts_with("POST"))
        .map(|(_, a, r)| format!("{a} {r}"))
        .collect();
    assert_eq!(
        posts,
        [format!(
            "{} POST /unit_api/system/utc_clock",
            lab.units[1].addr
        )]
    );
}

#[test]
fn sync_dry_run_reads_and_plans_and_changes_nothing() {
    let lab = lab(&[Web::Up, Web::Up, Web::Down], 60);
    skew(&lab, 1, 20);
    skew(&lab, 2, 20);
    let run = lab.env.run(&["clock", "--sync", "--dry-run"]);
    run.code(1);
    assert!(run.stdout.contains("would sync pio02 at 127.0.1.61: POST /unit_api/system/utc_clock (the unit runs chronyd -q), else ssh: `sudo chronyd -q`"), "{}", run.stdout);
    assert!(
        run.stdout.contains(
            "would sync pio03 at 127.0.1.62: ssh: `sudo date -u --set=@<the leader's time>`"
        ),
        "{}",
        run.stdout
    );
    let run = lab.env.run(&["--json", "clock", "--sync", "--dry-run"]);
    let v = json(&run);
    assert_eq!(
        (v["dry_run"].as_bool(), v["plan"].as_array().unwrap().len()),
        (Some(true), 2)
    );
    assert!(lab.http_log().iter().all(|(_, _, r)| r.starts_with("GET ")));
    assert!(
        lab.ssh_log()
            .iter()
            .all(|(_, _, c)| c == "date -u +%s.%N" || c == "pio version"),
        "{:?}",
        lab.ssh_log()
    );
    assert_offset(&v, "pio02", 20.0, 0.25);
}

#[test]
fn away_from_the_leader_its_clock_is_read_and_is_the_reference() {
    // pio runs on leader1, which is not this cluster's leader: boss is, 10 s ahead, and so is
    // pio02: on the leader's time. pio03 is on this machine's: 10 s behind the leader.
    let lab = Lab::start(
        &["boss", "pio02", "pio03"],
        70,
        &[Web::Up, Web::Down, Web::Up],
    );
    lab.write_config("boss");
    lab.trust_all();
    skew(&lab, 0, 10);
    skew(&lab, 1, 10);
    let run = lab.env.run_with(
        &["--json", "clock", "--sync", "--via", "ssh"],
        &[("PIO_INVENTORY", "config")],
    );
    let v = json(&run);
    run.ok();
    assert_eq!(row(&v, "boss")["via"], "ssh");
    assert!(offset(&v, "boss").abs() < 1e-9);
    assert_offset(&v, "pio02", 0.0, 0.25);
    // pio03 was set to the leader's time (this machine's + 10 s), by date: over SSH pio03 runs
    // 24.3.10 and its chrony has no source.
    assert!(
        row(&v, "pio03")["synced"]["message"]
            .as_str()
            .unwrap()
            .contains("sudo date -u --set=@"),
        "{v}"
    );
    assert_offset(&v, "pio03", 0.0, 1.0 + 2.0 * uncertainty(&v, "pio03"));
    // The leader itself is never set.
    assert!(
        lab.ssh_log()
            .iter()
            .all(|(_, a, c)| *a != lab.units[0].addr || c == "date -u +%s.%N")
    );
}

#[test]
fn via_http_and_a_unit_that_never_answers_end_within_the_timeout() {
    let lab = lab(&[Web::Up, Web::Down, Web::Down], 75);
    let run = lab.env.run(&[
        "--json",
        "clock",
        "pio02",
        "--via",
        "http",
        "--timeout",
        "2",
    ]);
    run.code(1);
    assert!(
        row(&json(&run), "pio02")["error"]
            .as_str()
            .unwrap()
            .contains("web API not reachable")
    );
    fs::write(lab.unit_dir(2).join("hang"), "").unwrap();
    let start = Instant::now();
    let run = lab.env.run(&["clock", "pio03", "--timeout", "2"]);
    run.code(1);
    assert!(start.elapsed().as_secs_f64() < 6.0, "{:?}", start.elapsed());
    assert!(
        run.stderr.contains("not read or not synced: pio03"),
        "{}",
        run.stderr
    );
}

#[test]
fn real_releases_are_read_and_synced_each_its_way() {
    const TEST: &str = "real_releases_are_read_and_synced_each_its_way";
    let Some(lab) = crate::releases::real_26_11_unit(80, TEST) else {
        return;
    };
    // Its own web app answers the clock endpoint: read over HTTP.
    {
        let _web = lab.serve_release_web(1);
        let run = lab.env.run_with(
            &["--json", "clock", "w2611"],
            &[("PIO_INVENTORY", "config")],
        );
        let v = json(&run);
        run.ok();
        assert_eq!(row(&v, "w2611")["via"], "http", "{v}");
        assert_offset(&v, "w2611", 0.0, 0.25);
    }
    // Without its web server, synced over SSH by the release's own sandbox: chrony has the
    // leader as a source (as its join writes it), so chronyd runs there (recorded by its sudo).
    let conf = lab.unit_dir(1).join("etc/chrony/conf.d");
    fs::create_dir_all(&conf).unwrap();
    fs::write(
        conf.join("pioreactor-leader.conf"),
        "server 127.0.0.1 iburst prefer\n",
    )
    .unwrap();
    let run = lab.env.run_with(
        &["--json", "clock", "w2611", "--sync", "--tolerance", "0"],
        &[("PIO_INVENTORY", "config")],
    );
    let v = json(&run);
    let synced = &row(&v, "w2611")["synced"];
    assert_eq!(synced["via"], "ssh", "{v}\n{}", run.stderr);
    assert!(
        synced["message"]
            .as_str()
            .unwrap()
            .contains("synced by chrony"),
        "{v}"
    );
    let calls = fs::read_to_string(lab.unit_dir(1).join("calls.log")).unwrap();
    for call in [
        "sudo systemctl stop chrony",
        "sudo chronyd -q -t ",
        "sudo systemctl start chrony",
    ] {
        assert!(calls.contains(call), "{call}: {calls}");
    }
}
