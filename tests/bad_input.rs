//! Every rule of input validation: a clear message on stderr, exit code 2, the file untouched.

use crate::common;

use common::Env;

const CONFIG: &str = "# lab notes\n[cluster.topology]\nleader_hostname=leader1\n\n[cluster.inventory]\npio02=1\npio03=0\n\n[cluster.addresses]\npio02=127.0.9.2\n";

/// Runs pio on a copy of `config` and checks: exit `code`, `needle` on stderr, nothing on
/// stdout, config.ini byte-identical, no stray files.
#[track_caller]
fn refused(config: &str, args: &[&str], code: i32, needle: &str) -> String {
    let env = Env::new();
    let path = env.write_config(config);
    let run = env.run(args);
    run.code(code);
    assert!(
        run.stderr.contains(needle),
        "stderr lacks {needle:?}:\n{}",
        run.stderr
    );
    assert!(run.stderr.starts_with("error: "), "{}", run.stderr);
    assert!(run.stdout.is_empty(), "stdout: {}", run.stdout);
    assert_eq!(
        std::fs::read_to_string(&path).unwrap(),
        config,
        "config.ini changed"
    );
    let leftovers: Vec<_> = std::fs::read_dir(path.parent().unwrap())
        .unwrap()
        .map(|e| e.unwrap().file_name().into_string().unwrap())
        .filter(|n| n != "config.ini" && n != ".config.ini.lock")
        .collect();
    assert!(leftovers.is_empty(), "{leftovers:?}");
    run.stderr
}

#[test]
fn names_must_be_hostnames() {
    for (name, why) in [
        ("Pio04", "upper-case"),
        ("pio_04", "'_' is not allowed"),
        ("pio04.local", "'.local' suffix"),
        ("pio04.lab.org", "'.' is not allowed"),
        ("localhost", "localhost"),
        ("192.168.1.4", "IP address"),
        ("-pio04", "starts or ends with '-'"),
        ("pio04-", "starts or ends with '-'"),
        ("a;reboot", "';' is not allowed"),
        ("", "empty"),
    ] {
        let stderr = refused(CONFIG, &["workers", "add", "--offline", "--", name], 2, why);
        assert!(stderr.contains("hint:"), "{stderr}");
    }
    refused(
        CONFIG,
        &["workers", "add", &"p".repeat(64), "--offline"],
        2,
        "longer than 63",
    );
    let stderr = refused(
        CONFIG,
        &["workers", "add", "Pio_04", "--offline"],
        2,
        "not a valid unit name",
    );
    assert!(stderr.contains("Did you mean 'pio-04'?"), "{stderr}");
}

#[test]
fn addresses_must_be_ipv4() {
    for bad in [
        "10.0.0",
        "10.0.0.256",
        "010.0.0.1",
        "pio04.local",
        "fe80::1",
        "0.0.0.0",
        "255.255.255.255",
    ] {
        refused(
            CONFIG,
            &["workers", "add", "pio04", "-a", bad, "--offline"],
            2,
            "IPv4",
        );
    }
}

#[test]
fn unknown_workers_change_nothing() {
    let stderr = refused(
        CONFIG,
        &["workers", "remove", "pio02", "ghost"],
        2,
        "ghost is not in the inventory",
    );
    assert!(stderr.contains("nothing was changed"));
    refused(
        CONFIG,
        &["workers", "set-active", "ghost", "0"],
        2,
        "ghost is not in the inventory",
    );
    refused(
        CONFIG,
        &["workers", "remove", "pio02", "Bad_Name"],
        2,
        "not a valid unit name",
    );
}

#[test]
fn set_active_takes_only_booleans() {
    refused(
        CONFIG,
        &["workers", "set-active", "pio02", "maybe"],
        2,
        "'maybe' is not one of",
    );
}

/// Runs pio on a copy of `config` and checks it went ahead (exit 0) and named `needle` in a
/// warning on stderr; returns the run and config.ini after it.
#[track_caller]
fn went_ahead(config: &str, args: &[&str], needle: &str) -> (common::Run, String) {
    let env = Env::new();
    let path = env.write_config(config);
    let run = env.run(args);
    run.code(0);
    assert!(
        run.stderr.contains(needle),
        "stderr lacks {needle:?}:\n{}",
        run.stderr
    );
    (run, std::fs::read_to_string(&path).unwrap())
}

#[test]
fn inventory_values_python_cannot_read() {
    // One line Python cannot read fails only what needs it: which workers are active.
    let bad = CONFIG.replace("pio03=0", "pio03=0 ; spare");
    let stderr = refused(
        &bad,
        &["workers", "sync-configs", "--all"],
        2,
        "config.ini:7: ",
    );
    assert!(stderr.contains("'0 ; spare'"), "{stderr}");
    let (_, after) = went_ahead(&bad, &["workers", "add", "pio04", "--offline"], "");
    assert!(after.contains("pio03=0 ; spare\npio04=1\n"), "{after}");
    // Setting the state writes a readable one.
    let (_, after) = went_ahead(
        &bad,
        &["workers", "set-active", "pio03", "0", "--offline"],
        "",
    );
    assert!(after.contains("\npio03=0\n"), "{after}");
    let bare = CONFIG.replace("pio03=0", "pio03");
    let (run, _) = went_ahead(&bare, &["workers", "list"], "config.ini:7: ");
    let row = |l: &str| l.split_whitespace().collect::<Vec<_>>() == ["pio03", "?", "pio03.local"];
    assert!(run.stdout.lines().any(row), "{}", run.stdout);
}

#[test]
fn two_spellings_of_one_name() {
    let dup = CONFIG.replace("pio03=0\n", "pio03=0\nPIO02=1\n");
    // Which of the two lines is meant? Neither is edited.
    let stderr = refused(
        &dup,
        &["workers", "set-active", "pio02", "0", "--offline"],
        2,
        "config.ini:8: ",
    );
    assert!(stderr.contains("line 6"), "{stderr}");
    let (_, after) = went_ahead(
        &dup,
        &["workers", "set-active", "pio03", "1", "--offline"],
        "",
    );
    assert_eq!(after, dup.replace("pio03=0", "pio03=1"));
}

#[test]
fn structural_errors_python_would_raise() {
    refused(
        &CONFIG.replace("[cluster.addresses]", "[cluster.inventory]"),
        &["workers", "list"],
        2,
        "config.ini:9: section [cluster.inventory] appears again (first on line 5)",
    );
    refused(
        &CONFIG.replace("pio03=0", "pio03=0\npio03=1"),
        &["workers", "list"],
        2,
        "config.ini:8: key 'pio03' appears twice",
    );
    refused(
        &format!("orphan=1\n{CONFIG}"),
        &["workers", "add", "pio04", "--offline"],
        2,
        "config.ini:1: a key before any [section]",
    );
    refused(
        &CONFIG.replace("pio03=0", "=0"),
        &["workers", "list"],
        2,
        "config.ini:7: a value without a key",
    );
}

#[test]
fn not_utf8() {
    let env = Env::new();
    let path = env.config();
    std::fs::create_dir_all(path.parent().unwrap()).unwrap();
    let mut bytes = CONFIG.as_bytes().to_vec();
    bytes.extend_from_slice(b"# caf\xe9\n");
    std::fs::write(&path, &bytes).unwrap();
    let run = env.run(&["workers", "add", "pio04", "--offline"]);
    run.code(2);
    assert!(
        run.stderr.contains("config.ini:11: the file is not UTF-8"),
        "{}",
        run.stderr
    );
    assert_eq!(std::fs::read(&path).unwrap(), bytes);
}

#[test]
fn usage_errors_exit_2() {
    let env = Env::new();
    env.run(&["workers", "frobnicate"]).code(2);
    env.run(&["workers", "remove"]).code(2);
    env.run(&["workers", "list", "--active", "--inactive"])
        .code(2);
    env.run(&["--color", "sometimes", "workers", "list"])
        .code(2);
    assert!(!env.config().exists());
}

#[test]
fn unreadable_config_exits_3() {
    let env = Env::new();
    std::fs::create_dir_all(env.config()).unwrap(); // a folder where the file should be
    let run = env.run(&["workers", "list"]);
    run.code(3);
    assert!(run.stderr.contains("cannot read"), "{}", run.stderr);
}

#[test]
fn lock_held_too_long_exits_4() {
    let env = Env::new();
    let path = env.write_config(CONFIG);
    let lock = std::fs::File::create(path.with_file_name(".config.ini.lock")).unwrap();
    lock.lock().unwrap();
    let run = env.run_with(
        &["workers", "add", "pio04", "--offline"],
        &[("PIO_LOCK_WAIT", "0.3")],
    );
    run.code(4);
    assert!(
        run.stderr.contains("locked by another pio"),
        "{}",
        run.stderr
    );
    assert_eq!(std::fs::read_to_string(&path).unwrap(), CONFIG);
    // Reading needs no lock.
    env.run(&["workers", "list"]).ok();
    drop(lock);
    env.run(&["workers", "add", "pio04", "--offline"]).ok();
}

#[test]
fn node_sets_that_name_nothing_or_too_much_are_usage_errors() {
    let env = Env::new();
    env.write_config(
        "[cluster.topology]\nleader_hostname=leader1\n\n[cluster.inventory]\nleader1=1\n",
    );
    for set in [",", "", ",,", "a[0-10000]b[0-10000]", "a[0-10000]"] {
        let run = env.run(&["reboot", set, "--yes"]);
        assert!(
            run.code(2).stderr.contains("invalid node set"),
            "{set}: {}",
            run.stderr
        );
    }
    // The cap is on all the arguments together, not on each.
    let sets: Vec<String> = (0..30).map(|i| format!("r{i}-[1-500]")).collect();
    let mut args = vec!["reboot", "--yes"];
    args.extend(sets.iter().map(String::as_str));
    let run = env.run(&args);
    no_panic(&run, 2);
    assert!(
        run.stderr
            .contains("invalid node sets: together they name more than 10000 units"),
        "{}",
        run.stderr
    );
}

#[test]
fn odd_environments_are_refused_or_bounded_without_a_panic() {
    let env = Env::new();
    // A hostname with a line break would write two lines into a fresh config.ini.
    let run = env.run_with(
        &["workers", "add", "pio02", "--offline"],
        &[("PIO_HOSTNAME", "lead\nx=1")],
    );
    assert!(
        run.code(2)
            .stderr
            .contains("cannot name a cluster's leader"),
        "{}",
        run.stderr
    );
    assert!(!env.config().exists());
    // A lock wait too large for a Duration is capped, not a panic.
    env.run_with(
        &["workers", "add", "pio02", "--offline"],
        &[("PIO_LOCK_WAIT", "1e300")],
    )
    .ok();
    assert!(env.read_config().contains("pio02=1"));
}

/// No panic (exit code 101, "panicked"), the documented exit code, a message of sane length.
#[track_caller]
fn no_panic(run: &common::Run, code: i32) {
    assert!(!run.stderr.contains("panicked"), "{}", run.stderr);
    run.code(code);
    assert!(
        run.stderr.len() < 2000,
        "a message of {} bytes",
        run.stderr.len()
    );
}

#[test]
fn huge_keys_and_lines_in_config_ini() {
    let long = "a".repeat(65_536);
    let several_mb = "b".repeat(5 << 20);
    // Each with a command that would use the line.
    for (text, needle, using) in [
        // In the inventory: not a unit name.
        (
            CONFIG.replace("pio03=0", &format!("{long}=1")),
            "config.ini:7: [cluster.inventory] lists 'aaaa",
            &["reboot", "--all", "--dry-run"][..],
        ),
        (
            CONFIG.replace("pio03=0", &format!("{several_mb}=1")),
            "(5242880 characters)', which is not a valid unit name",
            &["reboot", "--all", "--dry-run"],
        ),
        (
            CONFIG.replace("pio03=0", &format!("pio03={several_mb}")),
            "config.ini:7: [cluster.inventory] pio03 has the value 'bbbb",
            &["workers", "sync-configs", "--all"],
        ),
        (
            CONFIG.replace("pio02=127.0.9.2", &format!("pio02={several_mb}")),
            "config.ini:10: [cluster.addresses] pio02 is 'bbbb",
            &["reboot", "pio02", "--dry-run"],
        ),
    ] {
        let env = Env::new();
        let path = env.write_config(&text);
        // Listed flagged; edits of other units go ahead.
        for args in [
            &["workers", "list"][..],
            &["workers", "add", "pio04", "--offline", "--dry-run"],
        ] {
            let run = env.run(args);
            no_panic(&run, 0);
            assert!(run.stderr.contains(needle), "{}", &run.stderr);
            // A listing shows the long name cut short (a dry run's diff shows its lines whole).
            if args[1] == "list" {
                assert!(run.stdout.len() < 4000, "{} bytes", run.stdout.len());
            }
            assert_eq!(std::fs::read_to_string(&path).unwrap(), text);
        }
        let run = env.run(using);
        no_panic(&run, 2);
        assert!(run.stderr.contains(needle), "{}", &run.stderr);
        assert_eq!(std::fs::read_to_string(&path).unwrap(), text);
    }
    // Elsewhere in the file they are the operator's business: kept byte for byte.
    let env = Env::new();
    let text = format!("{CONFIG}\n[notes]\n{long}=1\n{several_mb}=2\n# {several_mb}\n");
    env.write_config(&text);
    let run = env.run(&["workers", "list"]);
    no_panic(&run, 0);
    assert!(run.stdout.contains("pio02"), "{}", run.stdout);
    env.run(&["workers", "add", "pio04", "--offline"]).ok();
    assert_eq!(
        env.read_config(),
        text.replace("pio03=0\n", "pio03=0\npio04=1\n")
    );
}

#[test]
fn a_config_ini_too_large_to_be_one_is_refused_unread() {
    let env = Env::new();
    let path = env.write_config(CONFIG);
    // 4 GiB, sparse: nothing is written to disk, and pio must not read it into memory.
    let size = 4u64 << 30;
    std::fs::OpenOptions::new()
        .write(true)
        .open(&path)
        .unwrap()
        .set_len(size)
        .unwrap();
    for args in [
        &["workers", "list"][..],
        &["workers", "add", "pio04", "--offline"],
        &["reboot", "--all", "--yes"],
    ] {
        let run = env.run(args);
        no_panic(&run, 2);
        assert!(
            run.stderr.contains("the file is 4294967296 bytes")
                && run.stderr.contains("none larger than 16 MiB"),
            "{}",
            run.stderr
        );
    }
    let doctor = env.run(&["doctor"]);
    no_panic(&doctor, 1);
    assert!(
        doctor.stdout.contains("none larger than 16 MiB"),
        "{}",
        doctor.stdout
    );
    let mut head = vec![0; CONFIG.len()];
    std::io::Read::read_exact(&mut std::fs::File::open(&path).unwrap(), &mut head).unwrap();
    assert_eq!(head, CONFIG.as_bytes());
    assert_eq!(std::fs::metadata(&path).unwrap().len(), size);
    // A file that never ends (/dev/zero) is a device, refused unread: store_hostile's walk.
}

#[test]
fn a_unit_config_too_large_to_be_one_is_refused_unread() {
    let env = Env::new();
    env.write_config(CONFIG);
    // config_pio03.ini, copied to pio03 as its unit_config.ini: 17 MiB, sparse.
    let own = env.config().with_file_name("config_pio03.ini");
    std::fs::File::create(&own)
        .unwrap()
        .set_len(17 << 20)
        .unwrap();
    let run = env.run(&["workers", "sync-configs", "pio03", "--timeout", "1"]);
    no_panic(&run, 2);
    assert!(
        run.stderr
            .contains("config_pio03.ini: the file is 17825792 bytes")
            && run.stderr.contains("none larger than 16 MiB"),
        "{}",
        run.stderr
    );
    // A file that never ends (/dev/zero) is a device, refused unread: store_hostile's walk.
}

#[test]
fn huge_names_on_the_command_line() {
    let long = "a".repeat(65_536);
    for args in [
        &["workers", "add", &long, "--offline"][..],
        &["workers", "set-active", &long, "0"],
        &["workers", "remove", &long],
        &["reboot", &long, "--yes"],
        &["rename", "pio02", &long],
        &["rename", &long, "pio09"],
        &["workers", "status", &long],
    ] {
        let env = Env::new();
        let path = env.write_config(CONFIG);
        let run = env.run(args);
        no_panic(&run, 2);
        assert!(run.stderr.contains("(65536 characters)"), "{}", &run.stderr);
        assert_eq!(std::fs::read_to_string(&path).unwrap(), CONFIG);
    }
}

/// execve takes C strings, so no process can be given a NUL in an argument: checked in-process.
#[test]
fn nul_in_arguments() {
    let env = Env::new();
    let path = env.write_config(CONFIG);
    let vars = pio::context::Env {
        vars: vec![
            ("HOME".into(), env.home().into()),
            ("PIO_HOSTNAME".into(), "leader1".into()),
            ("PIO_MDNS".into(), "0".into()),
        ],
        current_exe: None,
    };
    for args in [
        &["pio", "workers", "add", "pio\0x", "--offline"][..],
        &[
            "pio",
            "workers",
            "add",
            "pio04",
            "-a",
            "10.0.0.1\0",
            "--offline",
        ],
        &["pio", "reboot", "pio02\0", "--yes"],
        &["pio", "workers", "set-active", "pio02", "\0"],
    ] {
        let code = std::panic::catch_unwind(|| pio::run(args.iter().map(Into::into), &vars))
            .unwrap_or_else(|_| panic!("{args:?} panicked"));
        assert_eq!(code, 2, "{args:?}");
    }
    assert_eq!(std::fs::read_to_string(&path).unwrap(), CONFIG);
}

#[test]
fn leader_hostname_must_be_a_unit_name() {
    let config = CONFIG.replace("leader_hostname=leader1", "leader_hostname=x';id>/tmp/p;'");
    for args in [
        &["workers", "list"][..],
        &["reboot", "--all", "--yes"],
        &["workers", "add", "pio09", "--offline"],
    ] {
        refused(
            &config,
            args,
            2,
            "config.ini:3: [cluster.topology] leader_hostname is",
        );
    }
}

#[test]
fn an_explicit_config_naming_no_file_is_exit_3_not_a_pretend_cluster() {
    let env = Env::new();
    let dir = env.dir.path().join("scratch");
    std::fs::create_dir_all(&dir).unwrap();
    let typo = dir.join("confg.ini");
    let typo = typo.to_str().unwrap();
    for args in [
        &["--config", typo, "workers", "list"][..],
        &["--config", typo, "workers", "add", "pio02", "--offline"],
    ] {
        let run = env.run(args);
        no_panic(&run, 3);
        assert!(
            run.stderr
                .contains(&format!("{typo} (from --config) does not exist")),
            "{args:?}: {}",
            run.stderr
        );
    }
    // doctor reports it as its failed config.ini check.
    let run = env.run(&["--config", typo, "doctor"]);
    no_panic(&run, 1);
    assert!(
        run.stdout.contains("(from --config) does not exist"),
        "{}",
        run.stdout
    );
    let run = env.run_with(&["workers", "list"], &[("GLOBAL_CONFIG", typo)]);
    no_panic(&run, 3);
    assert!(
        run.stderr.contains("(from $GLOBAL_CONFIG) does not exist"),
        "{}",
        run.stderr
    );
    // Nothing was created: no file, no lock, nothing beside it.
    assert_eq!(std::fs::read_dir(&dir).unwrap().count(), 0);
    // The default place may have none yet: a single-unit cluster.
    env.run(&["workers", "list"]).ok();
}

#[test]
fn without_home_the_default_config_is_the_passwd_entrys_never_the_current_folder() {
    // (A read: the passwd entry's home is this machine's, which a test must not write.)
    let env = Env::new();
    let here = env.dir.path().join("cwd");
    std::fs::create_dir_all(&here).unwrap();
    let mut cmd = env.command(&["-v", "workers", "list"]);
    cmd.env_remove("HOME").current_dir(&here);
    let out = cmd.output().unwrap();
    let stderr = String::from_utf8_lossy(&out.stderr);
    let path = stderr
        .lines()
        .find_map(|l| l.strip_prefix("config.ini: "))
        .unwrap_or_else(|| panic!("{stderr}"));
    assert!(
        path.starts_with('/') && path.ends_with("/.pioreactor/config.ini (from the default)"),
        "{stderr}"
    );
    assert!(!here.join(".pioreactor").exists());
}

#[test]
fn every_bad_line_is_named_in_one_run() {
    let config = "[cluster.topology]\nleader_hostname=leader1\n\n[cluster.inventory]\nleader1=1\npio_02=1\npio03=maybe\n\n[cluster.addresses]\npio03=999.1.1.1\n";
    let (run, _) = went_ahead(config, &["workers", "list"], "");
    let lines = [
        ":6: [cluster.inventory] lists 'pio_02'",
        ":7: [cluster.inventory] pio03 has the value 'maybe'",
        ":10: [cluster.addresses] pio03 is '999.1.1.1'",
    ];
    // In file order.
    let at: Vec<usize> = lines
        .iter()
        .map(|l| {
            run.stderr
                .find(l)
                .unwrap_or_else(|| panic!("{l}: {}", run.stderr))
        })
        .collect();
    assert!(at.is_sorted(), "{}", run.stderr);
    // A command that would use several names each of them in one run.
    let stderr = refused(
        config,
        &["reboot", "--all", "--dry-run"],
        2,
        "2 lines need fixing",
    );
    for line in [lines[0], lines[2]] {
        assert!(stderr.contains(line), "{line}: {stderr}");
    }
}

#[test]
fn one_odd_line_fails_only_the_commands_that_need_it() {
    // An empty address for one unit, and a bare line in the inventory (a valueless key to
    // Python, which reads with allow_no_value=True).
    let odd = CONFIG
        .replace("pio02=127.0.9.2", "pio02=127.0.9.2\npio04=")
        .replace("pio03=0\n", "pio03=0\nbareline\npio04=1\n");
    for args in [
        &["workers", "set-active", "pio03", "1", "--offline"][..],
        &["workers", "add", "pio05", "-a", "127.0.9.5", "--offline"],
        &["workers", "remove", "pio03", "--offline"],
    ] {
        let (run, after) = went_ahead(&odd, args, "config.ini:13: [cluster.addresses] pio04 is ''");
        assert!(
            run.stderr
                .contains("config.ini:8: [cluster.inventory] bareline"),
            "{}",
            run.stderr
        );
        assert_ne!(after, odd, "{args:?}");
        // Only the asked-for lines changed.
        let changed = after
            .lines()
            .filter(|l| !odd.lines().any(|o| o == *l))
            .count()
            + odd
                .lines()
                .filter(|o| !after.lines().any(|l| l == *o))
                .count();
        assert!((1..=2).contains(&changed), "{args:?}: {after}");
        assert!(
            after.contains("\nbareline\n") && after.contains("\npio04=\n"),
            "{after}"
        );
    }
    // What needs the lines: the state of every worker, pio04's address.
    refused(
        &odd,
        &["workers", "sync-configs", "--all"],
        2,
        "config.ini:8: ",
    );
    refused(
        &odd,
        &["reboot", "pio04", "--dry-run"],
        2,
        "config.ini:13: ",
    );
    refused(
        &odd,
        &["workers", "set-active", "pio04", "0", "--dry-run"],
        2,
        "config.ini:13: ",
    );
    // Giving pio04 an address replaces the odd one.
    let (_, after) = went_ahead(
        &odd,
        &["workers", "add", "pio04", "-a", "127.0.9.4", "--offline"],
        "",
    );
    assert!(
        after.contains("\npio04=127.0.9.4\n") && !after.contains("\npio04=\n"),
        "{after}"
    );
}

#[test]
fn a_header_missing_its_bracket_is_named_and_stops_edits() {
    // Python reads `[cluster.inventory` as a key with no value in [cluster.topology], and the
    // workers after it as keys of that section: there is no inventory.
    let broken = CONFIG.replace("[cluster.inventory]", "[cluster.inventory");
    let (run, _) = went_ahead(
        &broken,
        &["workers", "list"],
        "config.ini:5: '[cluster.inventory' is a section header missing its ']'",
    );
    assert!(
        run.stderr.contains("in [cluster.topology]"),
        "{}",
        run.stderr
    );
    // An edit would add a second [cluster.inventory] that fixing the header duplicates.
    for args in [
        &["workers", "add", "pio04", "--offline"][..],
        &["workers", "add", "pio04", "--offline", "--dry-run"],
        &["workers", "set-active", "pio02", "0", "--offline"],
        &["workers", "remove", "pio02", "--offline"],
    ] {
        refused(
            &broken,
            args,
            2,
            "config.ini:5: '[cluster.inventory' is a section header missing its ']'",
        );
    }
    let env = Env::new();
    env.write_config(&broken);
    let run = env.run(&["doctor"]);
    run.code(1);
    assert!(
        run.stdout
            .contains("config.ini:5: '[cluster.inventory' is a section header missing its ']'"),
        "{}",
        run.stdout
    );
    // Fixed, the same edit goes ahead.
    let (_, after) = went_ahead(CONFIG, &["workers", "add", "pio04", "--offline"], "");
    assert_eq!(after.matches("[cluster.inventory]").count(), 1, "{after}");
}

#[test]
fn default_keys_are_every_sections_as_configparser_reads_them() {
    // [DEFAULT]'s keys are in every section to Python: `pio09=1` is a worker of the inventory,
    // with the address `1` (no address); `leader_hostname` names the leader.
    let config = "[DEFAULT]\nleader_hostname=leader1\npio09=1\n\n[cluster.topology]\n\n[cluster.inventory]\nleader1=1\npio02=1\n\n[cluster.addresses]\npio02=127.0.9.2\n";
    let env = Env::new();
    let path = env.write_config(config);
    let python = common::python_reads(&path, "current").unwrap();
    assert_eq!(python["cluster.inventory"]["pio09"], "1");
    let run = env.run(&["workers", "list", "--json"]);
    run.code(0);
    let listed: serde_json::Value = serde_json::from_str(&run.stdout).unwrap();
    let names: Vec<&str> = listed
        .as_array()
        .unwrap()
        .iter()
        .map(|w| w["name"].as_str().unwrap())
        .collect();
    // (Lines whose key is no hostname are listed last.)
    assert_eq!(
        names,
        ["leader1", "pio02", "pio09", "leader_hostname"],
        "{}",
        run.stdout
    );
    let pio09 = &listed[2];
    assert_eq!(
        (pio09["active"].as_bool(), pio09["address"].as_str()),
        (Some(true), Some("?"))
    );
    assert!(listed[0]["leader"].as_bool().unwrap(), "{}", run.stdout);
    assert!(
        run.stderr
            .contains("config.ini:3: [DEFAULT] pio09 is '1', which is not an address"),
        "{}",
        run.stderr
    );
    // Its state is set in [cluster.inventory], where Python reads it first.
    env.run(&["workers", "set-active", "pio09", "0", "--offline"])
        .ok();
    let python = common::python_reads(&path, "current").unwrap();
    assert_eq!(python["cluster.inventory"]["pio09"], "0");
    assert_eq!(python["cluster.topology"]["pio09"], "1");
    // pio changes nothing in [DEFAULT]: removing it there is the operator's to do.
    // (even where the section overrides the line, which would come back).
    let before = env.read_config();
    let run = env.run(&["workers", "remove", "pio09", "--offline"]);
    run.code(2);
    assert!(
        run.stderr.contains("config.ini:3: [DEFAULT] pio09"),
        "{}",
        run.stderr
    );
    assert_eq!(env.read_config(), before);
}
