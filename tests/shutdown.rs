//! `pio shutdown` against the test lab: units whose web API answers (POST
//! /unit_api/system/shutdown), units without one (SSH `sudo shutdown -h now`, which the shim only
//! records), a real 26.11 unit's own web app; the leader last, failures in the exit code.

use crate::common;

use common::lab::{Lab, Web};
use serde_json::Value;

const HTTP: &str = "POST /unit_api/system/shutdown";
const SSH: &str = "sudo shutdown -h now";

/// leader1 and workers pio02.. at 127.0.1.<base...>, every web server as `web` says.
fn lab(web: &[Web], base: u8) -> Lab {
    let mut names = vec!["leader1".to_string()];
    names.extend((2..=web.len()).map(|i| format!("pio{i:02}")));
    let refs: Vec<&str> = names.iter().map(String::as_str).collect();
    let lab = Lab::start(&refs, base, web);
    lab.write_config("leader1");
    lab.trust_all();
    lab
}

#[test]
fn shutdown_of_six_units_two_failing_the_leader_last() {
    // pio03 has no web API (an image before 24.9): SSH. pio05's web API is broken and its SSH
    // refuses: a failure. pio06 has no web API and its SSH refuses.
    let mut web = vec![Web::Up; 6];
    web[2] = Web::Down;
    web[4] = Web::Broken;
    web[5] = Web::Down;
    let lab = lab(&web, 20);
    lab.fail_ssh_actions(4);
    lab.fail_ssh_actions(5);
    let run = lab.env.run(&["shutdown", "pio[02-06]", "leader1", "--yes"]);
    run.code(1);
    assert!(
        run.stderr
            .contains("2 of 6 units did not accept the shutdown: pio05, pio06"),
        "{}",
        run.stderr
    );
    let asked = lab.asked(SSH, HTTP);
    assert_eq!(asked.len(), 6, "{asked:?}");
    let leader = asked["leader1"];
    assert!(
        asked.iter().all(|(u, t)| u == "leader1" || *t < leader),
        "the leader was not last: {asked:?}"
    );
    for line in [
        "pio02: shutting down (via http)",
        "pio03: shutting down (via ssh)",
        "pio05: FAILED (via http, then ssh): over HTTP: ",
        "leader1: shutting down (via http)",
    ] {
        assert!(run.stderr.contains(line), "{line}: {}", run.stderr);
    }
    // pio03 was reached over SSH only after its web API did not answer; nothing was rebooted.
    assert!(
        lab.asked("sudo reboot", "POST /unit_api/system/reboot")
            .is_empty()
    );
}

#[test]
fn shutdown_needs_a_terminal_or_yes_and_all_spares_the_leader() {
    let lab = lab(&[Web::Up, Web::Up, Web::Down], 26);
    let run = lab.env.run(&["shutdown", "--all"]);
    run.code(5);
    assert!(
        run.stderr.contains("Shut down 2 units (pio02, pio03)?"),
        "{}",
        run.stderr
    );
    assert!(run.stderr.contains("--yes"), "{}", run.stderr);
    assert!(lab.http_log().is_empty() && lab.ssh_log().is_empty());
    let run = lab.env.run(&["--json", "shutdown", "--all", "--yes"]);
    let v: Value = serde_json::from_str(&run.ok().stdout).unwrap();
    assert_eq!(v["command"], "shutdown");
    assert_eq!(v["dry_run"], false);
    let via: Vec<(&str, &str)> = v["units"]
        .as_array()
        .unwrap()
        .iter()
        .map(|u| (u["unit"].as_str().unwrap(), u["via"].as_str().unwrap()))
        .collect();
    assert_eq!(via, [("pio02", "http"), ("pio03", "ssh")]);
    assert_eq!(v["failed"], serde_json::json!([]));
    assert!(!lab.asked(SSH, HTTP).contains_key("leader1"));
    // --via ssh: SSH even where the web API answers.
    let run = lab.env.run(&["shutdown", "pio02", "--yes", "--via", "ssh"]);
    assert!(
        run.ok().stderr.contains("pio02: shutting down (via ssh)"),
        "{}",
        run.stderr
    );
}

#[test]
fn shutdown_dry_run_and_unknown_units_ask_nothing() {
    let lab = lab(&[Web::Up, Web::Up, Web::Up], 29);
    let run = lab
        .env
        .run(&["shutdown", "pio[02-03]", "leader1", "--dry-run"]);
    run.ok();
    let lines: Vec<&str> = run.stdout.lines().collect();
    assert_eq!(lines.len(), 3, "{}", run.stdout);
    assert!(
        lines[0].starts_with("would shut down pio02 at 127.0.1.30: POST /unit_api/system/shutdown, else ssh `sudo shutdown -h now`"),
        "{}",
        run.stdout
    );
    assert!(
        lines[2].starts_with("would shut down leader1 "),
        "{}",
        run.stdout
    );
    let run = lab.env.run(&["--json", "shutdown", "--all", "--dry-run"]);
    let v: Value = serde_json::from_str(&run.ok().stdout).unwrap();
    assert_eq!(v["dry_run"], true);
    assert_eq!(v["units"].as_array().unwrap().len(), 2);
    let run = lab.env.run(&["shutdown", "pio[02-04]", "--yes"]);
    run.code(2);
    assert!(
        run.stderr.contains("not in the inventory: pio04"),
        "{}",
        run.stderr
    );
    let run = lab.env.run(&["shutdown", "--yes"]);
    run.code(2);
    assert!(run.stderr.contains("or use --all"), "{}", run.stderr);
    assert!(lab.http_log().is_empty() && lab.ssh_log().is_empty());
}

#[test]
fn shutdown_asks_on_a_terminal() {
    let lab = lab(&[Web::Up, Web::Up], 33);
    let screen = lab
        .env
        .on_terminal("shutdown pio02", &[("TERM", "dumb")], "n\n");
    assert!(
        screen.contains("Shut down 1 unit (pio02)? [y/N]"),
        "{screen}"
    );
    assert!(screen.contains("Nothing was shut down."), "{screen}");
    assert!(lab.http_log().is_empty());
    let screen = lab
        .env
        .on_terminal("shutdown pio02", &[("TERM", "dumb")], "y\n");
    assert!(screen.contains("Asked 1 unit to shut down."), "{screen}");
    assert_eq!(lab.asked(SSH, HTTP).len(), 1);
}

#[test]
fn a_unit_that_never_answers_ends_within_the_timeout() {
    let lab = lab(&[Web::Down, Web::Down], 35);
    std::fs::write(lab.unit_dir(1).join("hang"), "").unwrap();
    let start = std::time::Instant::now();
    let run = lab
        .env
        .run(&["shutdown", "pio02", "--yes", "--timeout", "2"]);
    run.code(1);
    assert!(start.elapsed().as_secs_f64() < 6.0, "{:?}", start.elapsed());
    assert!(run.stderr.contains("pio02: FAILED"), "{}", run.stderr);
}

#[test]
fn a_real_26_11_unit_accepts_the_shutdown_through_its_own_web_app() {
    const TEST: &str = "a_real_26_11_unit_accepts_the_shutdown_through_its_own_web_app";
    let Some(lab) = crate::releases::real_26_11_unit(37, TEST) else {
        return;
    };
    let _web = lab.serve_release_web(1);
    let run = lab.env.run_with(
        &["--json", "shutdown", "w2611", "--yes"],
        &[("PIO_INVENTORY", "config")],
    );
    let v: Value = serde_json::from_str(&run.stdout)
        .unwrap_or_else(|e| panic!("{e}: {}\n{}", run.stdout, run.stderr));
    assert_eq!(v["units"][0]["via"], "http", "{v}\n{}", run.stderr);
    assert_eq!(v["units"][0]["ok"], true, "{v}\n{}", run.stderr);
    // The release's own endpoint took it: nothing went over SSH.
    assert!(lab.ssh_log().is_empty(), "{:?}", lab.ssh_log());
}
