//! The inventory commands as an operator and a script see them.

use crate::common;

use common::{Env, HOSTNAME};
use std::fs;
use std::os::unix::fs::{MetadataExt, PermissionsExt};

const CONFIG: &str = "[cluster.topology]\nleader_hostname=leader1\nleader_address=127.0.9.1\n\n[cluster.inventory]\nleader1=1\npio02=1\npio03=0\n\n[cluster.addresses]\nleader1=127.0.9.1\npio02=127.0.9.2\n";

#[test]
fn list_plain_when_piped() {
    let env = Env::new();
    env.write_config(CONFIG);
    let run = env.run(&["workers", "list"]);
    run.ok();
    let rows: Vec<Vec<&str>> = run
        .stdout
        .lines()
        .map(|l| l.split_whitespace().collect())
        .collect();
    assert_eq!(
        rows,
        [
            vec!["NAME", "ACTIVE", "ADDRESS", "LEADER"],
            vec!["leader1", "yes", "127.0.9.1", "leader"],
            vec!["pio02", "yes", "127.0.9.2"],
            vec!["pio03", "no", "pio03.local"],
        ]
    );
    assert!(!run.stdout.contains('\x1b') && !run.stdout.contains('│'));
    assert!(run.stderr.is_empty(), "{}", run.stderr);
}

#[test]
fn list_filters_and_names() {
    let env = Env::new();
    env.write_config(CONFIG);
    assert_eq!(
        env.run(&["workers", "list", "--names"]).stdout,
        "leader1\npio02\npio03\n"
    );
    assert_eq!(
        env.run(&["workers", "list", "--names", "--active"]).stdout,
        "leader1\npio02\n"
    );
    assert_eq!(
        env.run(&["workers", "list", "--names", "--inactive"])
            .stdout,
        "pio03\n"
    );
}

#[test]
fn list_json_schema() {
    let env = Env::new();
    env.write_config(CONFIG);
    let run = env.run(&["workers", "list", "--json", "--inactive"]);
    let v: serde_json::Value = serde_json::from_str(&run.ok().stdout).unwrap();
    assert_eq!(
        v,
        serde_json::json!([{"name": "pio03", "active": false, "address": "pio03.local", "address_source": "mdns", "leader": false,
            "model_name": null, "model_version": null, "experiment": null, "release": null, "flaw": null}])
    );
    let all: serde_json::Value =
        serde_json::from_str(&env.run(&["--json", "workers", "list"]).stdout).unwrap();
    assert_eq!(all.as_array().unwrap().len(), 3);
    assert_eq!(all[1]["address_source"], "static");
}

#[test]
fn list_on_a_terminal_is_a_table() {
    let env = Env::new();
    env.write_config(CONFIG);
    let screen = env.on_terminal("workers list", &[], "");
    assert!(screen.contains('│') && screen.contains("pio03"), "{screen}");
    assert!(
        screen.contains('\x1b'),
        "expected colour on a terminal: {screen}"
    );
    let screen = env.on_terminal("workers list", &[("NO_COLOR", "1")], "");
    assert!(
        screen.contains('│') && !screen.contains('\x1b'),
        "{screen:?}"
    );
}

#[test]
fn fresh_unit_is_a_single_unit_cluster() {
    let env = Env::new();
    let run = env.run(&["workers", "list", "--json"]);
    let v: serde_json::Value = serde_json::from_str(&run.ok().stdout).unwrap();
    assert_eq!(
        v,
        serde_json::json!([{"name": HOSTNAME, "active": true, "address": "leader1.local", "address_source": "leader_address", "leader": true,
            "model_name": null, "model_version": null, "experiment": null, "release": null, "flaw": null}])
    );
    assert!(!env.config().exists(), "listing must not write");

    let run = env.run(&["workers", "add", "pio02", "--offline"]);
    run.ok();
    assert!(
        run.stderr
            .contains(&format!("Created {}", env.config().display())),
        "{}",
        run.stderr
    );
    let ini = common::python_reads(&env.config(), "current").unwrap();
    assert_eq!(ini["cluster.topology"]["leader_hostname"], HOSTNAME);
    assert_eq!(ini["cluster.topology"]["leader_address"], "leader1.local");
    assert_eq!(
        ini["cluster.inventory"]
            .iter()
            .map(|(k, v)| (k.as_str(), v.as_str()))
            .collect::<Vec<_>>(),
        [(HOSTNAME, "1"), ("pio02", "1")]
    );
    let sample = include_str!("../config.ini.sample");
    for line in sample.lines().filter(|l| l.starts_with('#')) {
        assert!(
            env.read_config().contains(line),
            "sample comment lost: {line}"
        );
    }
}

#[test]
fn re_adding_is_idempotent_and_changes_are_reported() {
    let env = Env::new();
    env.write_config(CONFIG);
    let run = env.run(&["workers", "add", "pio02", "-a", "127.0.9.2", "--offline"]);
    run.ok();
    assert!(
        run.stderr.contains("already in the inventory") && run.stderr.contains("nothing changed"),
        "{}",
        run.stderr
    );
    assert_eq!(env.read_config(), CONFIG);

    let run = env.run(&[
        "workers",
        "add",
        "pio02",
        "-a",
        "127.0.9.9",
        "--inactive",
        "--offline",
    ]);
    run.ok();
    assert!(
        run.stderr.contains("Made pio02 inactive (was active)"),
        "{}",
        run.stderr
    );
    assert!(
        run.stderr
            .contains("Changed pio02's address from 127.0.9.2 to 127.0.9.9"),
        "{}",
        run.stderr
    );
    assert_eq!(
        env.read_config(),
        CONFIG
            .replace("pio02=127.0.9.2", "pio02=127.0.9.9")
            .replace("pio02=1\n", "pio02=0\n")
    );

    let run = env.run(&["workers", "set-active", "pio02", "off"]);
    run.code(1); // nothing answers at 127.0.9.9, so its jobs cannot be halted
    assert!(run.stderr.contains("already inactive"));
}

#[test]
fn json_reports_changes() {
    let env = Env::new();
    env.write_config(CONFIG);
    let run = env.run(&[
        "--json",
        "workers",
        "add",
        "pio04",
        "-a",
        "127.0.9.4",
        "--offline",
    ]);
    let v: serde_json::Value = serde_json::from_str(&run.ok().stdout).unwrap();
    assert_eq!(v["command"], "workers add");
    assert_eq!(v["inventory"], "config");
    assert_eq!(v["changed"], true);
    assert_eq!(v["dry_run"], false);
    assert_eq!(v["config"], env.config().display().to_string());
    assert_eq!(
        v["changes"],
        serde_json::json!([
            {"action": "add_worker", "name": "pio04", "active": true},
            {"action": "set_address", "name": "pio04", "old": null, "new": "127.0.9.4"}
        ])
    );
    // (exit 1: pio04 cannot be reached to receive the new config.ini; the JSON is printed first)
    let run = env.run(&["--json", "workers", "remove", "pio04"]);
    let v: serde_json::Value = serde_json::from_str(&run.code(1).stdout).unwrap();
    assert_eq!(
        v["changes"][1],
        serde_json::json!({"action": "remove_address", "name": "pio04", "address": "127.0.9.4"})
    );
}

#[test]
fn dry_run_prints_the_diff_and_writes_nothing() {
    let env = Env::new();
    env.write_config(CONFIG);
    let run = env.run(&["workers", "set-active", "pio03", "1", "--dry-run"]);
    run.ok();
    let path = env.config().display().to_string();
    assert!(
        run.stdout
            .starts_with(&format!("--- {path}\n+++ {path}\n@@ ")),
        "{}",
        run.stdout
    );
    assert!(
        run.stdout.contains("\n-pio03=0\n+pio03=1\n"),
        "{}",
        run.stdout
    );
    assert_eq!(env.read_config(), CONFIG);

    let run = env.run(&["workers", "remove", "pio02", "--dry-run"]);
    assert!(run.ok().stdout.contains("-pio02=1\n") && run.stdout.contains("-pio02=127.0.9.2\n"));
    assert_eq!(env.read_config(), CONFIG);

    // A fresh unit: the diff creates the whole file, and the file stays absent.
    let fresh = Env::new();
    let run = fresh.run(&["workers", "add", "pio02", "--offline", "--dry-run"]);
    assert!(
        run.ok().stdout.starts_with("--- /dev/null\n"),
        "{}",
        run.stdout
    );
    assert!(!fresh.config().exists());
}

#[test]
fn verified_add_dry_run_plans_each_release_span_its_own_way() {
    let env = Env::new();
    env.write_config(CONFIG);
    let run = env.run(&["workers", "add", "pio09", "-a", "127.0.9.9", "--dry-run"]);
    run.ok();
    let spans: Vec<&str> = run
        .stderr
        .lines()
        .chain(run.stdout.lines())
        .map(str::trim)
        .filter(|l| l.contains(": copy config.ini"))
        .collect();
    assert_eq!(spans.len(), 4, "{}{}", run.stdout, run.stderr);
    // Newest first: 26.11 joins, 26.4 owns its unit_config.ini, 24.5.1 gets a chrony source.
    assert!(spans[0].starts_with("26.11 and later") && spans[0].contains("cluster join"));
    assert!(spans[1].starts_with("26.4 to 26.10") && spans[1].contains("it owns"));
    assert!(spans[2].starts_with("24.5.1 to 26.3") && spans[2].contains("iburst prefer"));
    assert!(spans[3].starts_with("before 24.5.1") && !spans[3].contains("chrony"));
    assert_eq!(env.read_config(), CONFIG);
}

#[test]
fn removing_the_leader_keeps_its_address() {
    let env = Env::new();
    env.write_config(CONFIG);
    // pio02 cannot be reached to receive the new config.ini (exit 1); the leader needs no copy.
    let run = env.run(&["workers", "remove", "leader1", "pio02"]);
    run.code(1);
    assert!(
        run.stderr.contains("could not be copied to pio02:"),
        "{}",
        run.stderr
    );
    let ini = common::python_reads(&env.config(), "current").unwrap();
    assert_eq!(
        ini["cluster.inventory"].keys().collect::<Vec<_>>(),
        ["pio03"]
    );
    assert_eq!(
        ini["cluster.addresses"].keys().collect::<Vec<_>>(),
        ["leader1"]
    );
}

#[test]
fn config_lookup_order() {
    let env = Env::new();
    let dir = env.dir.path();
    for sub in ["explicit", "global", "dot"] {
        fs::create_dir_all(dir.join(sub)).unwrap();
        fs::write(
            dir.join(sub).join("config.ini"),
            format!("[cluster.inventory]\n{sub}=1\n"),
        )
        .unwrap();
    }
    env.write_config("[cluster.inventory]\nhome=1\n");
    let explicit = dir.join("explicit/config.ini");
    let global = dir.join("global/config.ini");
    let dot = dir.join("dot");
    let vars = [
        ("GLOBAL_CONFIG", global.to_str().unwrap()),
        ("DOT_PIOREACTOR", dot.to_str().unwrap()),
    ];
    let names = |args: &[&str], vars: &[(&str, &str)]| env.run_with(args, vars).stdout;
    assert_eq!(
        names(
            &[
                "--config",
                explicit.to_str().unwrap(),
                "workers",
                "list",
                "--names"
            ],
            &vars
        ),
        "explicit\n"
    );
    assert_eq!(names(&["workers", "list", "--names"], &vars), "global\n");
    assert_eq!(names(&["workers", "list", "--names"], &vars[1..]), "dot\n");
    assert_eq!(names(&["workers", "list", "--names"], &[]), "home\n");
}

#[test]
fn legacy_sections_warn_and_are_edited_in_place() {
    let env = Env::new();
    let legacy = "[network.topology]\nleader_hostname=leader1\n\n[network.inventory]\npio02=1\n";
    env.write_config(legacy);
    let run = env.run(&["workers", "add", "pio03", "--offline"]);
    run.ok();
    assert!(
        run.stderr.contains("warning:")
            && run
                .stderr
                .contains("rename the header to [cluster.inventory]"),
        "{}",
        run.stderr
    );
    assert_eq!(
        env.read_config(),
        "[network.topology]\nleader_hostname=leader1\n\n[network.inventory]\npio02=1\npio03=1\n"
    );
    assert!(env.run(&["-q", "workers", "list"]).stderr.is_empty());
}

#[test]
fn quiet_says_nothing_but_errors() {
    let env = Env::new();
    env.write_config(CONFIG);
    let run = env.run(&["-q", "workers", "add", "pio04", "--offline"]);
    assert!(run.ok().stderr.is_empty() && run.stdout.is_empty());
    let run = env.run(&["-q", "workers", "add", "bad_name", "--offline"]);
    assert!(run.code(2).stderr.contains("error:"));
}

#[test]
fn writes_keep_mode_and_symlinks() {
    let env = Env::new();
    let real = env.dir.path().join("shared-config.ini");
    fs::write(&real, CONFIG).unwrap();
    fs::set_permissions(&real, fs::Permissions::from_mode(0o600)).unwrap();
    fs::create_dir_all(env.config().parent().unwrap()).unwrap();
    std::os::unix::fs::symlink(&real, env.config()).unwrap();
    env.run(&["workers", "add", "pio04", "--offline"]).ok();
    assert!(
        fs::symlink_metadata(env.config())
            .unwrap()
            .file_type()
            .is_symlink()
    );
    assert!(fs::read_to_string(&real).unwrap().contains("pio04=1"));
    assert_eq!(fs::metadata(&real).unwrap().mode() & 0o777, 0o600);
}

#[test]
fn help_version_and_exit_codes() {
    let env = Env::new();
    let help = env.run(&["--help"]);
    help.ok();
    for needle in [
        "Exit codes:",
        "  2  usage error",
        "  4  config.ini stayed locked",
        "Examples:",
        "GLOBAL_CONFIG",
    ] {
        assert!(help.stdout.contains(needle), "--help lacks {needle:?}");
    }
    // Which pio answered (tests/handoff.rs checks the rest of the line).
    let v = env.run(&["--version"]);
    assert!(
        v.ok()
            .stdout
            .starts_with(&format!("pio {} (", env!("CARGO_PKG_VERSION")))
            && v.stdout.contains("; the Rust pio at "),
        "{}",
        v.stdout
    );
    for args in [
        &["help", "workers", "add"][..],
        &["workers", "add", "--help"],
    ] {
        let run = env.run(args);
        assert!(
            run.ok()
                .stdout
                .contains("pio workers add pio03 -a 192.168.1.43"),
            "{}",
            run.stdout
        );
    }
    let readme = include_str!("../README.md");
    for (code, meaning) in [
        (0, "success"),
        (2, "usage error"),
        (3, "could not be read or written"),
        (4, "locked"),
        (5, "confirmation"),
    ] {
        assert!(
            readme
                .lines()
                .any(|l| l.contains(&format!("| {code} ")) && l.contains(meaning)),
            "README lacks exit code {code}"
        );
    }
}

#[test]
fn closed_stdout_is_not_an_error() {
    let env = Env::new();
    // Far more than a pipe holds, so pio is still writing when the reader goes away.
    let mut config = String::from("[cluster.inventory]\n");
    for i in 0..5000 {
        config.push_str(&format!("pio{i:04}=1\n"));
    }
    env.write_config(&config);
    let pio = env!("CARGO_BIN_EXE_pio");
    let out = std::process::Command::new("bash")
        .args([
            "-c",
            &format!("{pio} workers list | head -c 1 >/dev/null; echo ${{PIPESTATUS[0]}}"),
        ])
        .env_clear()
        .env("HOME", env.home())
        .env("PIO_HOSTNAME", HOSTNAME)
        .output()
        .unwrap();
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(stderr.is_empty(), "{stderr}");
    assert_eq!(
        String::from_utf8_lossy(&out.stdout),
        "0\n",
        "pio's exit status"
    );
}

#[test]
fn offline_set_active_and_remove_touch_only_config_ini() {
    let env = Env::new();
    env.write_config(CONFIG);
    // Nothing answers at these addresses: without --offline these would exit 1.
    let run = env.run(&["workers", "set-active", "pio02", "0", "--offline"]);
    assert!(
        run.ok().stderr.contains("Not contacting pio02 (--offline)"),
        "{}",
        run.stderr
    );
    assert!(env.read_config().contains("\npio02=0\n"));
    env.run(&["workers", "set-active", "pio02", "1", "--offline"])
        .ok();
    env.run(&["workers", "remove", "pio02", "--offline"]).ok();
    let ini = common::python_reads(&env.config(), "current").unwrap();
    assert!(!ini["cluster.inventory"].contains_key("pio02"), "{ini:?}");
}

#[test]
fn re_adding_an_inactive_worker_keeps_it_inactive_unless_asked() {
    let env = Env::new();
    env.write_config(CONFIG);
    // pio03=0: a new address is all that was asked.
    let run = env.run(&["workers", "add", "pio03", "-a", "10.0.0.23", "--offline"]);
    run.ok();
    assert_eq!(
        env.read_config(),
        CONFIG.replace("pio02=127.0.9.2\n", "pio02=127.0.9.2\npio03=10.0.0.23\n")
    );
    assert!(!run.stderr.contains("active"), "{}", run.stderr);
    let again = env.run(&["workers", "add", "pio03", "--offline"]);
    assert!(
        again
            .ok()
            .stderr
            .contains("already in the inventory as inactive"),
        "{}",
        again.stderr
    );
    // --active says so.
    let run = env.run(&["workers", "add", "pio03", "--active", "--offline"]);
    assert!(
        run.ok().stderr.contains("Made pio03 active (was inactive)"),
        "{}",
        run.stderr
    );
    assert!(env.read_config().contains("\npio03=1\n"));
    let both = env.run(&["workers", "add", "pio03", "--active", "--inactive"]);
    both.code(2);
}

#[test]
fn pios_units_option_names_units_as_arguments_do() {
    let env = Env::new();
    env.write_config(CONFIG);
    let by_option = env.run(&[
        "reboot",
        "--units",
        "pio02",
        "--units",
        "pio03",
        "--dry-run",
    ]);
    let by_argument = env.run(&["reboot", "pio02", "pio03", "--dry-run"]);
    assert_eq!(by_option.ok().stdout, by_argument.ok().stdout);
    assert!(
        by_option.stdout.contains("would reboot pio03"),
        "{}",
        by_option.stdout
    );
    env.run(&["reboot", "--units", "pio02", "--all", "--dry-run"])
        .code(2);
}

#[test]
fn small_things_an_operator_trips_on() {
    let env = Env::new();
    env.write_config(CONFIG);
    // A timeout that is not one says what one is, negative or zero alike.
    for bad in ["0", "-1", "1e9"] {
        let run = env.run(&["workers", "status", "--timeout", bad]);
        run.code(2);
        assert!(
            run.stderr.contains(&format!(
                "'{bad}' is not a number of seconds: give more than 0 and at most 86400"
            )),
            "{bad}: {}",
            run.stderr
        );
    }
    // sync-configs --all names the inactive workers it leaves out (pio03 here), and says why.
    let run = env.run(&["workers", "sync-configs", "--all", "--timeout", "1"]);
    assert!(
        run.stderr.contains(
            "Skipped 1 inactive worker (--all means the active workers; name one to sync it): pio03"
        ),
        "{}",
        run.stderr
    );
    // remove keeps config_<name>.ini, and says so.
    std::fs::write(env.config().with_file_name("config_pio03.ini"), "[od]\n").unwrap();
    let run = env.run(&["workers", "remove", "pio03", "--offline"]);
    run.ok();
    assert!(
        run.stderr
            .contains("config_pio03.ini (pio03's own settings, should it come back)"),
        "{}",
        run.stderr
    );
    assert!(env.config().with_file_name("config_pio03.ini").exists());
}

#[test]
fn global_options_have_their_own_heading_after_the_commands() {
    let env = Env::new();
    let help = env.run(&["workers", "add", "--help"]);
    let text = &help.ok().stdout;
    let own = text.find("--inactive").unwrap();
    let heading = text.find("Global options:").expect(text);
    let config = text.find("--config").unwrap();
    assert!(own < heading && heading < config, "{text}");
}

#[test]
fn an_offline_or_dry_run_add_says_only_what_happened() {
    let env = Env::new();
    env.write_config(CONFIG);
    let dry = env.run(&["workers", "add", "pio04", "--offline", "--dry-run"]);
    assert!(
        !dry.ok().stderr.contains("pio04: in the inventory"),
        "{}",
        dry.stderr
    );
    assert!(dry.stderr.contains("nothing was written"), "{}", dry.stderr);
    let run = env.run(&["workers", "add", "pio04", "--offline"]);
    assert!(
        !run.ok().stderr.contains("pio04: in the inventory"),
        "{}",
        run.stderr
    );
    assert!(
        run.stderr.contains("Added pio04 to the inventory"),
        "{}",
        run.stderr
    );
}

#[test]
fn color_always_means_always_and_never_means_never_on_both_streams() {
    let env = Env::new();
    env.write_config(CONFIG);
    // Piped: `always` colours the tables' palette columns and the error line all the same.
    let list = env.run(&["--color", "always", "workers", "list"]);
    assert!(
        list.ok().stdout.contains("\x1b[32myes\x1b[0m"),
        "{:?}",
        list.stdout
    );
    assert!(
        list.stdout.contains("\x1b[90mno\x1b[0m"),
        "{:?}",
        list.stdout
    );
    let status = env.run(&["--color", "always", "workers", "status", "--timeout", "1"]);
    status.code(1);
    assert!(
        status.stdout.contains("\x1b[31mno\x1b[0m"),
        "{:?}",
        status.stdout
    );
    assert!(
        status
            .stderr
            .contains("\x1b[1;31merror\x1b[0m: active units"),
        "{:?}",
        status.stderr
    );
    let doctor = env.run(&["--color", "always", "doctor", "--timeout", "1"]);
    assert!(
        doctor.stdout.contains("\x1b[32mok\x1b[0m"),
        "{:?}",
        doctor.stdout
    );
    // `never`, and NO_COLOR with `auto`: no escape anywhere, even on a terminal.
    for run in [
        env.run(&["--color", "never", "workers", "status", "--timeout", "1"]),
        env.run_with(
            &["workers", "status", "--timeout", "1"],
            &[("NO_COLOR", "1")],
        ),
    ] {
        assert!(
            !run.stdout.contains('\x1b') && !run.stderr.contains('\x1b'),
            "{run:?}"
        );
    }
    let on_terminal = env.on_terminal("--color never workers list", &[], "");
    assert!(!on_terminal.contains('\x1b'), "{on_terminal:?}");
}

#[test]
fn add_dry_run_says_which_unit_config_it_would_create() {
    let env = Env::new();
    env.write_config(CONFIG);
    let own = env.config().with_file_name("config_pio07.ini");
    let run = env.run(&["workers", "add", "pio07", "--offline", "--dry-run"]);
    assert!(
        run.ok().stderr.contains(&format!(
            "Would create {} (pio07's own settings)",
            own.display()
        )),
        "{}",
        run.stderr
    );
    assert!(!own.exists());
    env.run(&["workers", "add", "pio07", "--offline"]).ok();
    assert!(own.exists());
}
