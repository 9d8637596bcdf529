//! pio against real peers: an OpenSSH sshd whose shim only records, and HTTP servers answering
//! the worker web API, each pretend unit on its own loopback address.

use crate::common;

use std::fs;
use std::time::Duration;

use common::lab::{Lab, Web};

fn config_unchanged(lab: &Lab, before: &str) {
    assert_eq!(lab.env.read_config(), before, "config.ini changed");
}

/// A lab whose first unit is the leader and the rest are workers.
fn lab_with_leader(n: usize, base: u8, web: Web) -> Lab {
    let mut names = vec!["leader1".to_string()];
    names.extend((2..=n).map(|i| format!("pio{i:02}")));
    let refs: Vec<&str> = names.iter().map(String::as_str).collect();
    let lab = Lab::start(&refs, base, &vec![web; n]);
    lab.write_config("leader1");
    lab
}

/// Files under a unit's `~/.pioreactor` named like a temporary file pio writes there.
fn temporary_files(lab: &Lab, i: usize) -> Vec<String> {
    let mut names: Vec<String> = fs::read_dir(lab.unit_dir(i).join(".pioreactor"))
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .filter(|n| n.contains("pio-tmp"))
        .collect();
    names.sort();
    names
}

/// A lab where `newbie` is a fresh worker not yet in config.ini.
fn add_lab(base: u8) -> (Lab, String) {
    let lab = Lab::start(&["leader1", "newbie"], base, &[Web::Up, Web::Up]);
    let config = format!(
        "[cluster.topology]\nleader_hostname=leader1\n\n[cluster.inventory]\nleader1=1\n\n[cluster.addresses]\nleader1={}\n\n[ui]\nport={}\n",
        lab.units[0].addr, lab.web_port
    );
    lab.env.write_config(&config);
    (lab, config)
}

#[test]
fn add_with_key_already_accepted() {
    let (lab, before) = add_lab(10);
    lab.authorize_leader(1);
    let addr = lab.units[1].addr.clone();
    let run = lab.env.run(&["workers", "add", "newbie", "-a", &addr]);
    run.ok();
    assert!(
        run.stderr.contains("new host key SHA256:"),
        "{}",
        run.stderr
    );
    // Trust on first use: the key is now in known_hosts under [address]:port.
    let known = fs::read_to_string(lab.env.home().join(".ssh/known_hosts")).unwrap();
    assert!(
        known.starts_with(&format!("[{addr}]:{} ssh-ed25519 ", lab.ssh_port)),
        "{known}"
    );
    // The leader's config.ini arrived byte-identical, with the new worker's line already in it
    // (a worker missing from its own inventory refuses to run jobs).
    let now = lab.env.read_config();
    assert_ne!(now, before);
    assert_eq!(
        fs::read_to_string(lab.unit_dir(1).join(".pioreactor/config.ini")).unwrap(),
        now
    );
    // Its own settings file was created beside config.ini and went over as unit_config.ini.
    let own = fs::read_to_string(lab.env.config().with_file_name("config_newbie.ini")).unwrap();
    assert!(own.starts_with('#'), "{own}");
    assert_eq!(
        fs::read_to_string(lab.unit_dir(1).join(".pioreactor/unit_config.ini")).unwrap(),
        own
    );
    assert_eq!(temporary_files(&lab, 1), Vec::<String>::new());
    let ini = common::python_reads(&lab.env.config(), "current").unwrap();
    assert_eq!(ini["cluster.inventory"]["newbie"], "1");
    assert_eq!(ini["cluster.addresses"]["newbie"], addr);
    // Then its clock from the leader's, then a reboot, in that order. (Each file is one SFTP
    // session.)
    let mut commands = lab.ssh_commands();
    commands.dedup();
    // (`pio version`: its release decides what it is given; this one has no Python stack, so
    // this config.ini-era leader's release is assumed.)
    assert_eq!(commands.len(), 6, "{commands:?}");
    assert_eq!(
        commands[..4],
        [
            "test -d ~/.pioreactor",
            "hostname",
            "pio version",
            "internal-sftp"
        ]
    );
    let epoch: u64 = commands[4]
        .strip_prefix("sudo date -u --set=@")
        .unwrap_or_else(|| panic!("{commands:?}"))
        .parse()
        .unwrap();
    let leader_now = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .unwrap()
        .as_secs();
    assert!(leader_now - epoch < 30, "{epoch} vs {leader_now}");
    assert_eq!(commands[5], "sudo reboot");
    // Re-running on a set-up worker is fine and changes nothing in config.ini.
    lab.env.run(&["workers", "add", "newbie", "-a", &addr]).ok();
    assert_eq!(lab.env.read_config(), now);
}

#[test]
fn add_logs_in_by_password_once_and_installs_the_key() {
    let (lab, _) = add_lab(20);
    let addr = lab.units[1].addr.clone();
    let authorized = lab.unit_dir(1).join(".ssh/authorized_keys");
    assert!(!authorized.exists());
    let run = lab.env.run(&["workers", "add", "newbie", "-a", &addr]);
    run.ok();
    assert!(
        run.stderr.contains("installed this leader's SSH key"),
        "{}",
        run.stderr
    );
    let leader_key = fs::read_to_string(lab.env.home().join(".ssh/id_ed25519.pub")).unwrap();
    assert_eq!(fs::read_to_string(&authorized).unwrap(), leader_key);
    // A second add needs no password: a wrong one on stdin does not matter.
    let mut cmd = lab
        .env
        .command(&["workers", "add", "newbie", "-a", &addr, "--password-stdin"]);
    cmd.stdin(std::process::Stdio::piped());
    let mut child = cmd
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::piped())
        .spawn()
        .unwrap();
    use std::io::Write;
    child.stdin.take().unwrap().write_all(b"wrong\n").unwrap();
    let out = child.wait_with_output().unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert!(!String::from_utf8_lossy(&out.stderr).contains("installed"));
}

#[test]
fn add_with_a_wrong_password_fails_and_changes_nothing() {
    let (lab, before) = add_lab(25);
    let addr = lab.units[1].addr.clone();
    let mut cmd = lab
        .env
        .command(&["workers", "add", "newbie", "-a", &addr, "--password-stdin"]);
    cmd.stdin(std::process::Stdio::piped())
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::piped());
    let mut child = cmd.spawn().unwrap();
    use std::io::Write;
    child
        .stdin
        .take()
        .unwrap()
        .write_all(b"not-the-password\n")
        .unwrap();
    let out = child.wait_with_output().unwrap();
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(1), "{stderr}");
    assert!(
        stderr.contains("step 3/8 (log in) failed")
            && stderr.contains("Nothing was changed in the inventory"),
        "{stderr}"
    );
    config_unchanged(&lab, &before);
}

#[test]
fn a_password_on_an_endless_stdin_is_read_as_one_bounded_line() {
    let (lab, before) = add_lab(27);
    let addr = lab.units[1].addr.clone();
    let mut cmd = lab
        .env
        .command(&["workers", "add", "newbie", "-a", &addr, "--password-stdin"]);
    // As `pio workers add ... --password-stdin < /dev/zero`, through a pipe that never ends.
    cmd.stdin(std::process::Stdio::piped())
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::piped());
    let start = std::time::Instant::now();
    let mut child = cmd.spawn().unwrap();
    let mut stdin = child.stdin.take().unwrap();
    std::thread::spawn(move || {
        use std::io::Write;
        let zeros = [0u8; 65536];
        while stdin.write_all(&zeros).is_ok() {}
    });
    let out = child.wait_with_output().unwrap();
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(1), "{stderr}");
    assert!(stderr.contains("longer than 4096 bytes"), "{stderr}");
    assert!(start.elapsed() < std::time::Duration::from_secs(10));
    config_unchanged(&lab, &before);
}

#[test]
fn add_refuses_a_hostname_mismatch() {
    let (lab, before) = add_lab(30);
    lab.authorize_leader(1);
    fs::write(lab.unit_dir(1).join("hostname"), "newbie2\n").unwrap();
    let run = lab
        .env
        .run(&["workers", "add", "newbie", "-a", &lab.units[1].addr]);
    run.code(1);
    assert!(
        run.stderr.contains("named 'newbie2', not 'newbie'"),
        "{}",
        run.stderr
    );
    assert!(run.stderr.contains("Nothing was changed in the inventory"));
    config_unchanged(&lab, &before);
    assert!(!lab.unit_dir(1).join(".pioreactor/config.ini").exists());
    assert!(
        !lab.env
            .config()
            .with_file_name("config_newbie.ini")
            .exists()
    );
}

#[test]
fn add_refuses_a_machine_that_is_not_a_pioreactor() {
    let (lab, before) = add_lab(40);
    lab.authorize_leader(1);
    fs::remove_dir_all(lab.unit_dir(1).join(".pioreactor")).unwrap();
    let run = lab
        .env
        .run(&["workers", "add", "newbie", "-a", &lab.units[1].addr]);
    run.code(1);
    assert!(run.stderr.contains("not a Pioreactor"), "{}", run.stderr);
    config_unchanged(&lab, &before);
}

#[test]
fn unknown_host_key_is_stored_on_add_and_refused_elsewhere() {
    let lab = lab_with_leader(2, 50, Web::Down);
    lab.authorize_leader(1);
    let before = lab.env.read_config();
    // Without a known_hosts entry, status over SSH refuses to trust the unit.
    let run = lab
        .env
        .run(&["--json", "workers", "status", "pio02", "--via", "ssh"]);
    run.code(1);
    let rows: serde_json::Value = serde_json::from_str(&run.stdout).unwrap();
    assert!(
        rows[0]["error"]
            .as_str()
            .unwrap()
            .contains("is not in known_hosts"),
        "{rows}"
    );
    assert!(
        lab.ssh_log().is_empty(),
        "a command ran on an untrusted host"
    );
    // add trusts it on first use; afterwards status succeeds.
    lab.env.run(&["workers", "add", "pio02"]).ok();
    assert_eq!(lab.env.read_config(), before);
    lab.env
        .run(&["workers", "status", "pio02", "--via", "ssh"])
        .ok();
}

#[test]
fn changed_host_key_is_refused() {
    let (lab, before) = add_lab(60);
    lab.authorize_leader(1);
    let addr = lab.units[1].addr.clone();
    let stale = format!(
        "[{addr}]:{} ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIOkSPTM9uTxlYvMgSYeB5pxXaAvMglg7qdnDxGzZN1ia\n",
        lab.ssh_port
    );
    fs::write(lab.env.home().join(".ssh/known_hosts"), &stale).unwrap();
    let run = lab.env.run(&["workers", "add", "newbie", "-a", &addr]);
    run.code(1);
    assert!(run.stderr.contains("HOST KEY CHANGED"), "{}", run.stderr);
    assert_eq!(
        run.stderr.matches("SHA256:").count(),
        2,
        "both fingerprints: {}",
        run.stderr
    );
    assert!(
        run.stderr
            .contains(&format!("ssh-keygen -R '[{addr}]:{}'", lab.ssh_port)),
        "{}",
        run.stderr
    );
    config_unchanged(&lab, &before);
    assert_eq!(
        fs::read_to_string(lab.env.home().join(".ssh/known_hosts")).unwrap(),
        stale
    );
    assert!(lab.ssh_log().is_empty());
}

#[test]
fn unreachable_address_gives_up_within_the_bound() {
    let (lab, before) = add_lab(70);
    // 127.0.9.9: on this machine, with nothing listening.
    let (run, took, start_up) = lab.env.timed(|| {
        lab.env.run(&[
            "workers",
            "add",
            "ghost",
            "-a",
            "127.0.9.9",
            "--timeout",
            "2",
        ])
    });
    run.code(1);
    assert!(
        run.stderr.contains("SSH server did not answer within 2 s"),
        "{}",
        run.stderr
    );
    assert!(run.stderr.contains("Usual causes"), "{}", run.stderr);
    // --timeout and 3 s, and what starting pio costs here now.
    let bound = Duration::from_secs(5) + start_up;
    assert!(took < bound, "took {took:?} (bound {bound:?})");
    config_unchanged(&lab, &before);
}

#[test]
fn set_active_0_halts_through_http() {
    let lab = lab_with_leader(2, 80, Web::Up);
    lab.trust_all();
    let run = lab.env.run(&["workers", "set-active", "pio02", "0"]);
    run.ok();
    assert!(
        run.stderr
            .contains("pio02: jobs halting (accepted) (via http)"),
        "{}",
        run.stderr
    );
    assert_eq!(
        lab.asked("pio kill --all-jobs", "POST /unit_api/jobs/stop/all")
            .len(),
        1
    );
    // The worker's copy of config.ini is replaced over SSH (SFTP); the halt went over HTTP.
    let commands = lab.ssh_commands();
    assert_eq!(commands, ["internal-sftp"]);
    let now = lab.env.read_config();
    assert!(now.contains("\npio02=0\n"));
    assert_eq!(
        fs::read_to_string(lab.unit_dir(1).join(".pioreactor/config.ini")).unwrap(),
        now
    );
}

#[test]
fn set_active_0_halts_through_ssh_when_the_web_api_is_down() {
    let lab = lab_with_leader(2, 90, Web::Down);
    lab.trust_all();
    let run = lab.env.run(&["workers", "set-active", "pio02", "0"]);
    run.ok();
    assert!(run.stderr.contains("(via ssh)"), "{}", run.stderr);
    let commands = lab.ssh_commands();
    // Its release first: it decides whether config_pio02.ini is sent.
    assert_eq!(
        commands,
        ["pio version", "internal-sftp", "pio kill --all-jobs"]
    );
}

#[test]
fn set_active_0_halts_jobs_though_the_unit_config_cannot_be_read() {
    let lab = lab_with_leader(2, 97, Web::Down);
    lab.trust_all();
    // A config_pio02.ini too large to be one: it is refused, and the jobs are halted all the same.
    fs::File::create(lab.env.config().with_file_name("config_pio02.ini"))
        .unwrap()
        .set_len(16 * 1024 * 1024 + 1)
        .unwrap();
    let run = lab.env.run(&["workers", "set-active", "pio02", "0"]);
    run.code(1);
    assert!(
        run.stderr.contains("nothing was copied to it") && run.stderr.contains("16777217 bytes"),
        "{}",
        run.stderr
    );
    let commands = lab.ssh_commands();
    assert_eq!(commands, ["pio version", "pio kill --all-jobs"]);
    assert!(lab.env.read_config().contains("\npio02=0\n"));
}

#[test]
fn set_active_0_on_an_unreachable_worker_still_writes_and_exits_1() {
    let lab = lab_with_leader(2, 95, Web::Down);
    lab.trust_all();
    lab.fail_ssh_actions(1);
    let run = lab.env.run(&["workers", "set-active", "pio02", "0"]);
    run.code(1);
    assert!(
        run.stderr
            .contains("now inactive in config.ini, but halting its jobs failed"),
        "{}",
        run.stderr
    );
    assert!(lab.env.read_config().contains("\npio02=0\n"));
}

#[test]
fn remove_halts_and_forgets_host_keys() {
    let lab = lab_with_leader(3, 100, Web::Up);
    lab.trust_all();
    let other = "pio02.local ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIOkSPTM9uTxlYvMgSYeB5pxXaAvMglg7qdnDxGzZN1ia\nunrelated ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIOkSPTM9uTxlYvMgSYeB5pxXaAvMglg7qdnDxGzZN1ia\n";
    let kh = lab.env.home().join(".ssh/known_hosts");
    let mut text = fs::read_to_string(&kh).unwrap();
    text.push_str(other);
    fs::write(&kh, text).unwrap();
    let run = lab.env.run(&["workers", "remove", "pio02"]);
    run.ok();
    assert_eq!(
        lab.asked("pio kill --all-jobs", "POST /unit_api/jobs/stop/all")
            .keys()
            .collect::<Vec<_>>(),
        ["pio02"]
    );
    let left = fs::read_to_string(&kh).unwrap();
    assert!(
        !left.contains(&format!("[{}]", lab.units[1].addr)) && !left.contains("pio02.local"),
        "{left}"
    );
    assert!(left.contains("unrelated") && left.contains(&lab.units[2].addr));
    assert!(
        run.stderr.contains("Removed from") && run.stderr.contains("pio02.local"),
        "{}",
        run.stderr
    );
    // --keep-running touches nothing remote.
    let before = lab.http_log().len();
    lab.env
        .run(&["workers", "remove", "pio03", "--keep-running"])
        .ok();
    assert_eq!(lab.http_log().len(), before);
}

#[test]
fn reboot_of_8_units_with_2_failing() {
    let n = 9; // the leader and eight workers
    let mut web = vec![Web::Up; n];
    web[3] = Web::Down;
    web[6] = Web::Broken;
    let names: Vec<String> = std::iter::once("leader1".to_string())
        .chain((1..n).map(|i| format!("pio{i:02}")))
        .collect();
    let refs: Vec<&str> = names.iter().map(String::as_str).collect();
    let lab = Lab::start(&refs, 110, &web);
    lab.write_config("leader1");
    lab.trust_all();
    lab.fail_ssh_actions(3);
    lab.fail_ssh_actions(6);
    let run = lab.env.run(&["reboot", "pio[01-08]", "leader1", "--yes"]);
    run.code(1);
    assert!(
        run.stderr
            .contains("2 of 9 units did not accept the reboot: pio03, pio06"),
        "{}",
        run.stderr
    );
    let asked = lab.asked("sudo reboot", "POST /unit_api/system/reboot");
    assert_eq!(asked.len(), 9, "{asked:?}"); // every unit was asked; two said no
    let leader_time = asked["leader1"];
    assert!(
        asked
            .iter()
            .all(|(u, t)| u == "leader1" || *t < leader_time),
        "the leader was not last: {asked:?}"
    );
    for i in [1, 2, 4, 5, 7, 8] {
        assert!(
            run.stderr
                .contains(&format!("pio{i:02}: rebooting (via http)")),
            "{}",
            run.stderr
        );
    }
    assert!(
        run.stderr
            .contains("pio03: FAILED (via http, then ssh): over HTTP: "),
        "{}",
        run.stderr
    );
}

#[test]
fn reboot_needs_a_terminal_or_yes() {
    let lab = lab_with_leader(3, 130, Web::Up);
    lab.trust_all();
    let run = lab.env.run(&["reboot", "--all"]);
    run.code(5);
    assert!(run.stderr.contains("--yes"), "{}", run.stderr);
    assert!(lab.http_log().is_empty() && lab.ssh_log().is_empty());
    // --all means every worker but the leader.
    let run = lab.env.run(&["--json", "reboot", "--all", "--yes"]);
    let v: serde_json::Value = serde_json::from_str(&run.ok().stdout).unwrap();
    let units: Vec<&str> = v["units"]
        .as_array()
        .unwrap()
        .iter()
        .map(|u| u["unit"].as_str().unwrap())
        .collect();
    assert_eq!(units, ["pio02", "pio03"]);
    assert!(
        !lab.asked("sudo reboot", "POST /unit_api/system/reboot")
            .contains_key("leader1")
    );
}

#[test]
fn reboot_dry_run_and_unknown_units() {
    let lab = lab_with_leader(3, 140, Web::Up);
    let run = lab.env.run(&["reboot", "pio[02-03]", "--dry-run"]);
    run.ok();
    assert!(
        run.stdout.contains("would reboot pio02 at 127.0.1.141"),
        "{}",
        run.stdout
    );
    let run = lab.env.run(&["reboot", "pio[02-04]", "--yes"]);
    run.code(2);
    assert!(
        run.stderr.contains("not in the inventory: pio04"),
        "{}",
        run.stderr
    );
    assert!(lab.http_log().is_empty() && lab.ssh_log().is_empty());
}

#[test]
fn status_with_one_unit_down() {
    let lab = lab_with_leader(3, 150, Web::Up);
    lab.trust_all();
    let run = lab.env.run(&["--json", "workers", "status"]);
    let rows: serde_json::Value = serde_json::from_str(&run.ok().stdout).unwrap();
    assert_eq!(rows[1]["version"], "25.11.1");
    assert_eq!(rows[1]["via"], "http");
    assert_eq!(rows[0]["leader"], true);
    // What its monitor job publishes, as the web page's Inventory shows it.
    assert_eq!(
        (
            &rows[1]["monitor"],
            &rows[1]["rpi_model"],
            &rows[1]["wlan_mac"],
            &rows[1]["eth_mac"]
        ),
        (
            &serde_json::json!("running"),
            &serde_json::json!("Raspberry Pi 4 Model B Rev 1.4"),
            &serde_json::json!("d8:3a:dd:61:01:59"),
            &serde_json::Value::Null
        )
    );
    fs::write(lab.unit_dir(1).join("no-monitor"), "").unwrap();
    let run = lab.env.run(&["--json", "workers", "status"]);
    let rows: serde_json::Value = serde_json::from_str(&run.ok().stdout).unwrap();
    assert_eq!(
        (&rows[1]["monitor"], &rows[1]["rpi_model"]),
        (&serde_json::json!("not running"), &serde_json::Value::Null)
    );

    let lab = lab_with_leader(3, 160, Web::Up);
    lab.trust_all();
    // pio03 powered off: nothing answers on its address.
    let config = lab
        .env
        .read_config()
        .replace(&format!("pio03={}", lab.units[2].addr), "pio03=127.0.9.3");
    lab.env.write_config(&config);
    let run = lab.env.run(&["--json", "workers", "status"]);
    run.code(1);
    let rows: serde_json::Value = serde_json::from_str(&run.stdout).unwrap();
    let row = rows
        .as_array()
        .unwrap()
        .iter()
        .find(|r| r["name"] == "pio03")
        .unwrap();
    assert_eq!(row["reachable"], false);
    assert!(
        row["error"].as_str().unwrap().contains("127.0.9.3"),
        "{row}"
    );
    assert!(
        rows.as_array()
            .unwrap()
            .iter()
            .filter(|r| r["name"] != "pio03")
            .all(|r| r["reachable"] == true)
    );
}

#[test]
fn hostnames_reaching_a_shell_are_only_validated_names() {
    let lab = lab_with_leader(2, 170, Web::Down);
    lab.trust_all();
    for args in [
        &["reboot", "a;reboot", "--yes"][..],
        &["reboot", "pio02;reboot", "--yes"],
        &["reboot", "$(reboot)", "--yes"],
        &["workers", "status", "a;reboot"],
        &["workers", "add", "a;reboot"],
        &["workers", "add", "pio02`reboot`"],
        &["workers", "set-active", "a;reboot", "0"],
        &["workers", "remove", "a && reboot"],
    ] {
        let run = lab.env.run(args);
        run.code(2);
    }
    assert!(lab.ssh_log().is_empty(), "{:?}", lab.ssh_log());
    assert!(lab.http_log().is_empty());
}

#[test]
fn add_creates_the_leader_key_pair_when_there_is_none() {
    let (lab, _) = add_lab(180);
    for f in ["id_ed25519", "id_ed25519.pub"] {
        fs::remove_file(lab.env.home().join(".ssh").join(f)).unwrap();
    }
    lab.env
        .run(&["workers", "add", "newbie", "-a", &lab.units[1].addr])
        .ok();
    let key = fs::read_to_string(lab.env.home().join(".ssh/id_ed25519.pub")).unwrap();
    assert!(key.starts_with("ssh-ed25519 "));
    assert_eq!(
        fs::read_to_string(lab.unit_dir(1).join(".ssh/authorized_keys")).unwrap(),
        key
    );
}

#[test]
fn reboot_asks_on_a_terminal() {
    let lab = lab_with_leader(2, 190, Web::Up);
    let screen = lab
        .env
        .on_terminal("reboot pio02", &[("TERM", "dumb")], "n\n");
    assert!(screen.contains("Reboot 1 unit (pio02)? [y/N]"), "{screen}");
    assert!(screen.contains("Nothing was rebooted."), "{screen}");
    assert!(lab.http_log().is_empty());
    let screen = lab
        .env
        .on_terminal("reboot pio02", &[("TERM", "dumb")], "y\n");
    assert!(screen.contains("Asked 1 unit to reboot."), "{screen}");
    assert_eq!(
        lab.asked("sudo reboot", "POST /unit_api/system/reboot")
            .len(),
        1
    );
}

#[test]
fn adding_the_leader_as_a_worker_needs_no_network() {
    let lab = Lab::start(&["leader1"], 185, &[Web::Down]);
    lab.env
        .write_config("[cluster.topology]\nleader_hostname=leader1\n\n[cluster.inventory]\n");
    let run = lab.env.run(&["workers", "add", "leader1"]);
    run.ok();
    assert!(
        run.stderr.contains("leader1 is the leader"),
        "{}",
        run.stderr
    );
    assert!(lab.env.read_config().contains("\nleader1=1\n"));
    assert!(lab.ssh_log().is_empty());
}

#[test]
fn the_leader_is_reached_at_its_leader_address() {
    let lab = Lab::start(&["leader1"], 195, &[Web::Up]);
    lab.env.write_config(&format!(
        "[cluster.topology]\nleader_hostname=leader1\nleader_address={}\n\n[cluster.inventory]\nleader1=1\n\n[ui]\nport={}\n",
        lab.units[0].addr, lab.web_port
    ));
    let run = lab.env.run(&["--json", "workers", "status"]);
    let rows: serde_json::Value = serde_json::from_str(&run.ok().stdout).unwrap();
    assert_eq!(rows[0]["address"], lab.units[0].addr);
    assert_eq!(rows[0]["reachable"], true);
}

#[test]
fn status_notices_another_unit_answering_at_the_address() {
    let lab = lab_with_leader(3, 200, Web::Up);
    lab.trust_all();
    // pio02's address points at pio03.
    let config = lab.env.read_config().replace(
        &format!("pio02={}", lab.units[1].addr),
        &format!("pio02={}", lab.units[2].addr),
    );
    lab.env.write_config(&config);
    for via in ["http", "ssh"] {
        let run = lab
            .env
            .run(&["--json", "workers", "status", "pio02", "--via", via]);
        run.code(1);
        let rows: serde_json::Value = serde_json::from_str(&run.stdout).unwrap();
        let error = rows[0]["error"].as_str().unwrap();
        assert!(
            error.contains("'pio03'") && error.contains("'pio02'"),
            "{via}: {error}"
        );
    }
}

#[test]
fn status_compares_names_without_regard_to_case() {
    let lab = Lab::start(&["leader1", "pio02"], 120, &[Web::Up, Web::Up]);
    lab.trust_all();
    // Written by hand in capitals; the unit calls itself pio02.
    let text = lab.write_config("leader1").replace("pio02=", "PIO02=");
    lab.env.write_config(&text);
    for via in ["ssh", "http"] {
        let run = lab
            .env
            .run(&["--json", "workers", "status", "PIO02", "--via", via]);
        let v: serde_json::Value = serde_json::from_str(&run.ok().stdout).unwrap();
        assert_eq!(v[0]["reachable"], true, "{via}: {v}");
    }
}

#[test]
fn a_link_planted_at_a_temporary_name_on_a_worker_is_not_written_through() {
    let lab = lab_with_leader(2, 210, Web::Down);
    lab.trust_all();
    fs::write(
        lab.env.config().with_file_name("config_pio02.ini"),
        "[unit]\nx=1\n",
    )
    .unwrap();
    // Links at the names pio used to write to on the worker, to a file outside its ~/.pioreactor.
    let victim = lab.state.join("victim");
    fs::write(&victim, "precious\n").unwrap();
    let planted = [".config.ini.pio-tmp", ".unit_config.ini.pio-tmp"];
    let folder = lab.unit_dir(1).join(".pioreactor");
    for name in planted {
        std::os::unix::fs::symlink(&victim, folder.join(name)).unwrap();
    }
    lab.env
        .run(&["workers", "sync-configs", "pio02", "--timeout", "5"])
        .ok();
    assert_eq!(fs::read_to_string(&victim).unwrap(), "precious\n");
    for name in planted {
        assert_eq!(fs::read_link(folder.join(name)).unwrap(), victim, "{name}");
    }
    // The copies went through all the same, each a file of its own, and no temporary is left.
    for (copy, from) in [
        ("config.ini", lab.env.config()),
        (
            "unit_config.ini",
            lab.env.config().with_file_name("config_pio02.ini"),
        ),
    ] {
        let copy = folder.join(copy);
        assert!(
            fs::symlink_metadata(&copy).unwrap().is_file(),
            "{}",
            copy.display()
        );
        assert_eq!(fs::read(&copy).unwrap(), fs::read(&from).unwrap());
    }
    assert_eq!(temporary_files(&lab, 1), planted.map(String::from));
}

/// SSH reads no OpenSSL config file: one that `$OPENSSL_CONF` names (an environment pio does not
/// vet) would change which algorithms it offers. This one allows only FIPS algorithms, which pio's
/// OpenSSL has none of: read, it would make every SSH connection fail (src/main.rs).
#[test]
fn ssh_ignores_an_openssl_config_file() {
    let lab = lab_with_leader(2, 245, Web::Down);
    lab.trust_all();
    let conf = lab.env.home().join("openssl.cnf");
    fs::write(
        &conf,
        "openssl_conf = init\n[init]\nalg_section = evp\n[evp]\ndefault_properties = fips=yes\n",
    )
    .unwrap();
    let conf = conf.to_str().unwrap();
    let run = lab.env.run_with(
        &["workers", "set-active", "pio02", "0"],
        &[("OPENSSL_CONF", conf)],
    );
    run.ok();
    assert!(run.stderr.contains("(via ssh)"), "{}", run.stderr);
    let commands = lab.ssh_commands();
    assert!(
        commands.iter().any(|c| c == "pio kill --all-jobs"),
        "{commands:?}"
    );
}
