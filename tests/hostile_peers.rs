//! Hostile input from config.ini, units and the leader's API: refused before any unit is
//! contacted, and never shown raw on a terminal.

use crate::common;

use std::fs;

use common::Run;
use common::lab::{Lab, Web};
use common::leader_api::LeaderApi;

/// A key a shell would run: it must never reach one.
const HOSTILE: &str = "x';id>/tmp/pio-pwned;'";

/// leader1 and pio02 (both reachable, keys trusted), with `extra` after pio02's inventory line
/// (line 7) and `address` as pio02's address; returns the file's text.
fn lab(base: u8, extra: &str, address: Option<&str>) -> (Lab, String) {
    let lab = Lab::start(&["leader1", "pio02"], base, &[Web::Up, Web::Up]);
    let (a1, a2) = (&lab.units[0].addr, &lab.units[1].addr);
    let a2 = address.unwrap_or(a2);
    let config = format!(
        "[cluster.topology]\nleader_hostname=leader1\n\n[cluster.inventory]\nleader1=1\npio02=1\n{extra}\n\
         [cluster.addresses]\nleader1={a1}\npio02={a2}\n\n[ui]\nport={}\n",
        lab.web_port
    );
    lab.env.write_config(&config);
    lab.trust_all();
    (lab, config)
}

/// Nothing reached a unit: no SSH request, no HTTP request, config.ini as it was.
#[track_caller]
fn untouched(lab: &Lab, config: &str, run: &Run) {
    assert!(
        lab.ssh_log().is_empty(),
        "{:?}\n{}",
        lab.ssh_log(),
        run.stderr
    );
    assert!(lab.http_log().is_empty(), "{:?}", lab.http_log());
    assert_eq!(lab.env.read_config(), config);
    assert!(!std::path::Path::new("/tmp/pio-pwned").exists());
    assert!(!run.stderr.contains("panicked"), "{}", run.stderr);
}

/// The addresses of the units that got any request, over SSH or HTTP.
fn reached(lab: &Lab) -> Vec<String> {
    let mut addresses: Vec<String> = lab.ssh_log().into_iter().map(|(_, a, _)| a).collect();
    addresses.extend(lab.http_log().into_iter().map(|(_, a, _)| a));
    addresses.sort();
    addresses.dedup();
    addresses
}

#[test]
fn inventory_names_that_are_not_hostnames_reach_no_unit() {
    let (lab, config) = lab(150, &format!("{HOSTILE}=1\n"), None);
    let named = |stderr: &str| {
        stderr.contains("config.ini:7: [cluster.inventory] lists")
            && stderr.contains("which is not a valid unit name: '\\'' is not allowed")
    };
    // Commands that would pick it (every worker, or every active one): refused, nothing sent.
    for args in [
        &["reboot", "--all", "--yes"][..],
        &["workers", "sync-configs", "--all"],
        &["identify", "--all"],
    ] {
        let run = lab.env.run(args);
        run.code(2);
        assert!(
            run.stderr.starts_with("error: ")
                && named(&run.stderr)
                && run.stderr.contains("hint: "),
            "{args:?}: {}",
            run.stderr
        );
        assert!(run.stdout.is_empty(), "{args:?}: {}", run.stdout);
        untouched(&lab, &config, &run);
    }
    // Listed, flagged; the line is named on stderr.
    let run = lab.env.run(&["workers", "list"]);
    run.code(0);
    assert!(named(&run.stderr), "{}", run.stderr);
    assert!(run.stdout.contains("pio02"), "{}", run.stdout);
    untouched(&lab, &config, &run);
    // doctor diagnoses it, a failed check (exit 1) naming the line, and checks the rest.
    let run = lab.env.run(&["doctor"]);
    run.code(1);
    assert!(
        run.stdout.contains("inventory line")
            && run
                .stdout
                .contains("config.ini:7: [cluster.inventory] lists"),
        "{}",
        run.stdout
    );
    // Commands about other units go ahead; the odd name reaches no shell.
    lab.env.run(&["workers", "status"]).ok();
    lab.env.run(&["reboot", "pio02", "--yes"]).ok();
    assert_eq!(
        lab.asked("sudo reboot", "POST /unit_api/system/reboot")
            .len(),
        1
    );
    let run = lab
        .env
        .run(&["workers", "set-active", "pio02", "0", "--offline"]);
    run.ok();
    assert!(named(&run.stderr), "{}", run.stderr);
    assert_eq!(
        lab.env.read_config(),
        config.replace("\npio02=1\n", "\npio02=0\n")
    );
    assert!(!std::path::Path::new("/tmp/pio-pwned").exists());
    for (_, _, command) in lab.ssh_log() {
        assert!(!command.contains("pwned"), "{command}");
    }
}

#[test]
fn addresses_that_are_not_ipv4_or_hostnames_reach_no_unit() {
    for (base, bad) in [
        (160, "127.0.1.161:22"),
        (162, "/x"),
        (164, "pioreactor@127.0.1.165"),
        (166, "http://127.0.1.167"),
        (168, "pio02 .local"),
        (170, ""),
    ] {
        let (lab, config) = lab(base, "", Some(bad));
        let named = |stderr: &str| {
            stderr.contains("config.ini:10: [cluster.addresses] pio02 is ")
                && stderr.contains("which is not an address")
        };
        // Commands that would reach pio02: refused, nothing sent.
        for args in [
            &["reboot", "pio02", "--yes"][..],
            &["reboot", "--all", "--dry-run"],
            &["workers", "set-active", "pio02", "0", "--dry-run"],
            &["workers", "remove", "pio02", "--dry-run"],
        ] {
            let run = lab.env.run(args);
            run.code(2);
            assert!(named(&run.stderr), "{bad:?} {args:?}: {}", run.stderr);
            untouched(&lab, &config, &run);
        }
        // Listings show it flagged.
        for args in [&["workers", "list"][..], &["workers", "list", "--json"]] {
            let run = lab.env.run(args);
            run.code(0);
            assert!(named(&run.stderr), "{bad:?} {args:?}: {}", run.stderr);
            untouched(&lab, &config, &run);
        }
        let run = lab.env.run(&["workers", "status"]);
        run.code(1);
        assert!(named(&run.stderr), "{bad:?}: {}", run.stderr);
        let run = lab.env.run(&["doctor"]);
        run.code(1);
        assert!(
            run.stdout
                .contains("config.ini:10: [cluster.addresses] pio02"),
            "{bad:?}: {}",
            run.stdout
        );
        // Only leader1 was asked anything.
        assert_eq!(reached(&lab), [lab.units[0].addr.clone()], "{bad:?}");
        assert_eq!(lab.env.read_config(), config);
        // Edits that reach no unit go ahead, and removing pio02 takes its address line too.
        lab.env
            .run(&["workers", "remove", "pio02", "--offline"])
            .ok();
        let after = lab.env.read_config();
        assert!(
            !after.contains("pio02") && after.contains("leader1="),
            "{bad:?}: {after}"
        );
    }
    // A hostname (Pioreactor 25.8 and later write pio02.local) is an address.
    let (lab, _) = lab(172, "", Some("localhost"));
    lab.env.run(&["workers", "list"]).ok();
}

#[test]
fn leader_address_follows_the_same_rule() {
    let (lab, config) = lab(174, "", None);
    let bad = config.replace(
        "leader_hostname=leader1\n",
        "leader_hostname=leader1\nleader_address=leader1.local:80\n",
    );
    lab.env.write_config(&bad);
    for args in [&["workers", "list"][..], &["reboot", "--all", "--yes"]] {
        let run = lab.env.run(args);
        run.code(2);
        assert!(
            run.stderr
                .contains("config.ini:3: [cluster.topology] leader_address is 'leader1.local:80'"),
            "{}",
            run.stderr
        );
        untouched(&lab, &bad, &run);
    }
}

#[test]
fn api_names_that_are_not_hostnames_are_a_bad_answer() {
    let api = LeaderApi::start("127.0.0.1:0");
    api.add_worker("pio02", true, None, None);
    api.add_worker("pio03;reboot", true, None, None);
    let env = common::Env::new();
    let text = format!(
        "[cluster.topology]\nleader_hostname=leader1\n\n[ui]\nport={}\n",
        api.port()
    );
    env.write_config(&text);
    for args in [
        &["workers", "list"][..],
        &["reboot", "--all", "--yes"],
        &["workers", "set-active", "pio02", "0"],
    ] {
        let run = env.run(args);
        run.code(1);
        assert!(
            run.stderr.contains("unexpected answer")
                && run
                    .stderr
                    .contains("'pio03;reboot', which is not a valid unit name"),
            "{args:?}: {}",
            run.stderr
        );
        let asked: Vec<String> = api
            .requests()
            .into_iter()
            .map(|r| format!("{} {}", r.method, r.path))
            .filter(|r| r != "GET /api/workers")
            .collect();
        assert!(asked.is_empty(), "{asked:?}");
        assert_eq!(env.read_config(), text);
    }
}

/// No byte that a terminal acts on: ESC, BEL, CSI (U+009B) or any other control but the line
/// break.
#[track_caller]
fn no_controls(what: &str, text: &str) {
    assert!(
        !text.chars().any(|c| c.is_control() && c != '\n'),
        "{what} holds a control character: {text:?}"
    );
}

#[test]
fn what_units_and_the_leader_say_reaches_no_terminal_raw() {
    // pio02 answers over HTTP with a version full of escapes; pio03 has no web server and
    // answers `hostname` over SSH with them raw.
    let lab = Lab::start(&["pio02", "pio03"], 180, &[Web::Up, Web::Down]);
    let config = lab.write_config("leader1");
    lab.trust_all();
    fs::write(
        lab.unit_dir(0).join("version"),
        // JSON escapes, which the web server's answer carries and pio decodes.
        "25.11.1\\u001b]0;pwned\\u0007\\u001b[2J\\u009b2J\\r",
    )
    .unwrap();
    fs::write(
        lab.unit_dir(1).join("hostname"),
        "pio03\x1b]0;pwned\x07\x1b[2J\u{9b}2J\n",
    )
    .unwrap();

    let run = lab.env.run(&["workers", "status"]);
    run.code(1);
    assert!(
        run.stdout
            .contains("25.11.1\\x1b]0;pwned\\x07\\x1b[2J\\u{9b}2J\\x0d"),
        "{}",
        run.stdout
    );
    assert!(
        run.stderr.contains("pio03\\x1b]0;pwned\\x07"),
        "{}",
        run.stderr
    );
    no_controls("status stdout", &run.stdout);
    no_controls("status stderr", &run.stderr);

    // JSON stays exact: the same characters, every one an escape.
    let run = lab.env.run(&["workers", "status", "--json"]);
    no_controls("status --json", &run.stdout);
    let rows: serde_json::Value = serde_json::from_str(&run.stdout).unwrap();
    assert_eq!(
        rows[0]["version"],
        "25.11.1\x1b]0;pwned\x07\x1b[2J\u{9b}2J\r"
    );
    assert!(
        rows[1]["error"]
            .as_str()
            .unwrap()
            .contains("pio03\x1b]0;pwned\x07")
    );

    let run = lab.env.run(&["doctor"]);
    run.code(1);
    no_controls("doctor stdout", &run.stdout);
    no_controls("doctor stderr", &run.stderr);
    assert!(run.stdout.contains("\\x1b[2J"), "{}", run.stdout);
    assert_eq!(lab.env.read_config(), config);

    // On a terminal (script(1); quiet: the progress bar draws with escapes of its own).
    let shown = lab
        .env
        .on_terminal("-q --color never workers status", &[("PIO_MDNS", "0")], "");
    assert!(shown.contains("pwned"), "{shown}");
    no_controls(
        "the terminal",
        &shown.replace("\r\n", "\n").replace('\r', ""),
    );
}

#[test]
fn experiment_names_from_the_leader_reach_no_terminal_raw() {
    let api = LeaderApi::start("127.0.0.1:0");
    let experiment = "Trial\x1b]0;pwned\x07\x1b[2J\u{9b}2J";
    api.add_worker("pio02", true, Some("pioreactor_40ml\x1b[5m"), Some("1.5"));
    api.add_experiment(experiment);
    api.assign("pio02", experiment);
    let env = common::Env::new();
    env.write_config(&format!(
        "[cluster.topology]\nleader_hostname=leader1\n\n[ui]\nport={}\n",
        api.port()
    ));
    let run = env.run(&["workers", "list"]);
    run.ok();
    no_controls("list stdout", &run.stdout);
    assert!(
        run.stdout
            .contains("Trial\\x1b]0;pwned\\x07\\x1b[2J\\u{9b}2J"),
        "{}",
        run.stdout
    );
    let run = env.run(&["workers", "list", "--json"]);
    no_controls("list --json", &run.stdout);
    let rows: serde_json::Value = serde_json::from_str(&run.stdout).unwrap();
    assert_eq!(rows[0]["experiment"], experiment);
    assert_eq!(rows[0]["model_name"], "pioreactor_40ml\x1b[5m");
    // Its error messages too: unassigning from an experiment it is not in echoes the name.
    let run = env.run(&["workers", "unassign", "pio02", "Other\x1b[2J"]);
    no_controls("unassign stderr", &run.stderr);
}

/// Runs pio with its stdout a pipe whose reading end is already closed.
fn to_closed_pipe(env: &common::Env, args: &[&str]) -> Run {
    let (reader, writer) = std::io::pipe().unwrap();
    drop(reader);
    let out = env
        .command(args)
        .stdout(writer)
        .stderr(std::process::Stdio::piped())
        .output()
        .unwrap();
    Run {
        code: out.status.code().unwrap_or(-1),
        stdout: String::new(),
        stderr: String::from_utf8_lossy(&out.stderr).into_owned(),
    }
}

#[test]
fn json_to_a_closed_stdout_ends_like_the_plain_form() {
    // Enough units that the JSON outgrows stdout's buffer and is written while serialising.
    // No addresses and mDNS off: every unit fails at once, without a packet sent.
    let env = common::Env::new();
    let mut config =
        String::from("[cluster.topology]\nleader_hostname=leader1\n\n[cluster.inventory]\n");
    for i in 0..400 {
        config.push_str(&format!("pio{i:03}=1\n"));
    }
    env.write_config(&config);
    for args in [
        &["workers", "list"][..],
        &["workers", "status"],
        &["doctor"],
    ] {
        let json_args: Vec<&str> = args.iter().copied().chain(["--json"]).collect();
        let full = env.run(&json_args);
        assert!(
            full.stdout.len() > 32 * 1024,
            "{args:?}: {} bytes",
            full.stdout.len()
        );
        // What the units answered decides the code; the closed pipe changes nothing.
        let expected = env.run(args).code;
        assert_eq!(full.code, expected, "{args:?}");
        for run in [to_closed_pipe(&env, args), to_closed_pipe(&env, &json_args)] {
            assert_eq!(run.code, expected, "{args:?}: {}", run.stderr);
            assert!(
                !run.stderr.contains("Broken pipe")
                    && !run.stderr.contains("standard output")
                    && !run.stderr.contains("panicked"),
                "{args:?}: {}",
                run.stderr
            );
        }
    }
    assert_eq!(to_closed_pipe(&env, &["workers", "list", "--json"]).code, 0);
    assert_eq!(env.read_config(), config);
}
