//! `pio rename` against the sshd shim (which records, and only pretends the hostname changed).

use crate::common;

use std::fs;

use common::lab::{Lab, Web};

const FAKE_KEY: &str =
    "ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIOkSPTM9uTxlYvMgSYeB5pxXaAvMglg7qdnDxGzZN1ia";

/// leader1 and pio02, with notes around pio02's lines and its own config_pio02.ini.
fn lab(base: u8) -> (Lab, String) {
    let lab = Lab::start(&["leader1", "pio02"], base, &[Web::Down, Web::Down]);
    let (a1, a2) = (&lab.units[0].addr, &lab.units[1].addr);
    let config = format!(
        "[cluster.topology]\nleader_hostname=leader1\n\n[cluster.inventory]\n# bench A\nleader1=1\n# the one by the window\npio02 = 0\n# end of list\n\n[cluster.addresses]\nleader1={a1}\npio02={a2}\n"
    );
    lab.env.write_config(&config);
    fs::write(
        lab.env.config().with_file_name("config_pio02.ini"),
        "[stirring.config]\ntarget_rpm=400\n",
    )
    .unwrap();
    lab.trust_all();
    (lab, config)
}

/// The SSH requests, in order (each file copied is one SFTP session: counted once).
fn commands(lab: &Lab) -> Vec<String> {
    let mut c = lab.ssh_commands();
    c.dedup();
    c
}

const BOOT_ID: &str = "cat /proc/sys/kernel/random/boot_id";

const HOSTS_EDIT: &str =
    "sudo sed -i -E 's/(^|[[:space:]])pio02([[:space:]]|$)/\\1pio09\\2/g' /etc/hosts";

#[test]
fn renames_remote_then_config_then_reboots_and_waits() {
    let (lab, before) = lab(10);
    let kh = lab.env.home().join(".ssh/known_hosts");
    let mut known = fs::read_to_string(&kh).unwrap();
    known.push_str(&format!("pio02 {FAKE_KEY}\npio02.local,other {FAKE_KEY}\n"));
    fs::write(&kh, known).unwrap();

    let rebooting = lab.reboot_when_asked(1, Some(std::time::Duration::from_millis(600)));
    let run = lab
        .env
        .run(&["rename", "pio02", "pio09", "--timeout", "20"]);
    rebooting.join().unwrap();
    run.ok();
    assert!(
        run.stderr
            .contains("Renamed pio02 to pio09; it is back, answering as pio09"),
        "{}",
        run.stderr
    );
    assert_eq!(
        commands(&lab),
        [
            "hostname",
            "pio version",
            "sudo hostnamectl set-hostname pio09",
            HOSTS_EDIT,
            "internal-sftp",
            BOOT_ID,
            "sudo reboot",
            "hostname",
            BOOT_ID
        ]
    );
    // In place: same lines, same flag, comments intact; nothing else changed.
    let after = lab.env.read_config();
    assert_eq!(
        after,
        before
            .replace("pio02 = 0", "pio09 = 0")
            .replace("pio02=127", "pio09=127")
    );
    let ini = common::python_reads(&lab.env.config(), "current").unwrap();
    assert_eq!(
        ini["cluster.inventory"].keys().collect::<Vec<_>>(),
        ["leader1", "pio09"]
    );
    assert_eq!(ini["cluster.inventory"]["pio09"], "0");
    assert_eq!(ini["cluster.addresses"]["pio09"], lab.units[1].addr);
    let dir = lab.env.config().parent().unwrap().to_path_buf();
    assert!(!dir.join("config_pio02.ini").exists());
    assert_eq!(
        fs::read_to_string(dir.join("config_pio09.ini")).unwrap(),
        "[stirring.config]\ntarget_rpm=400\n"
    );
    // Before the reboot it got config.ini naming it, and its own settings.
    let unit = lab.unit_dir(1).join(".pioreactor");
    assert_eq!(fs::read_to_string(unit.join("config.ini")).unwrap(), after);
    assert_eq!(
        fs::read_to_string(unit.join("unit_config.ini")).unwrap(),
        "[stirring.config]\ntarget_rpm=400\n"
    );
    let known = fs::read_to_string(&kh).unwrap();
    assert!(!known.contains("pio02"), "{known}");
    assert!(
        known.contains(&format!("other {FAKE_KEY}"))
            && known.contains(&format!("[{}]", lab.units[1].addr))
    );
}

#[test]
fn the_leader_is_refused_with_an_explanation() {
    let (lab, before) = lab(20);
    let run = lab.env.run(&["rename", "leader1", "leader2"]);
    run.code(2);
    assert!(
        run.stderr.contains("leader1 is the leader")
            && run.stderr.contains("rebuilding the cluster"),
        "{}",
        run.stderr
    );
    assert!(lab.ssh_log().is_empty());
    assert_eq!(lab.env.read_config(), before);
}

#[test]
fn bad_names_are_refused_before_anything_happens() {
    let (lab, before) = lab(30);
    for (args, needle) in [
        (["rename", "pio02", "Pio_9"], "not a valid unit name"),
        (["rename", "pio02", "leader1"], "already used"),
        (
            ["rename", "ghost", "pio09"],
            "ghost is not in the inventory",
        ),
        (["rename", "pio02", "pio02"], "the new name is the old one"),
    ] {
        let run = lab.env.run(&args);
        run.code(2);
        assert!(run.stderr.contains(needle), "{args:?}: {}", run.stderr);
    }
    assert!(lab.ssh_log().is_empty());
    assert_eq!(lab.env.read_config(), before);
}

#[test]
fn a_wrong_hostname_answer_changes_nothing() {
    let (lab, before) = lab(40);
    fs::write(lab.unit_dir(1).join("hostname"), "pio77\n").unwrap();
    let run = lab.env.run(&["rename", "pio02", "pio09"]);
    run.code(1);
    assert!(
        run.stderr.contains("answers 'pio77', not 'pio02'")
            && run.stderr.contains("nothing was changed"),
        "{}",
        run.stderr
    );
    assert_eq!(commands(&lab), ["hostname"]);
    assert_eq!(lab.env.read_config(), before);
    assert!(lab.env.config().with_file_name("config_pio02.ini").exists());
}

#[test]
fn a_failed_reboot_says_what_was_done_and_what_finishes_it() {
    let (lab, _) = lab(50);
    lab.fail_ssh_actions(1);
    let run = lab.env.run(&["rename", "pio02", "pio09"]);
    run.code(1);
    assert!(
        run.stderr.contains("rename stopped at 'reboot'"),
        "{}",
        run.stderr
    );
    assert!(
        run.stderr
            .contains("done so far: ran `sudo hostnamectl set-hostname pio09`"),
        "{}",
        run.stderr
    );
    assert!(
        run.stderr.contains("renamed pio02 to pio09 in"),
        "{}",
        run.stderr
    );
    assert!(
        run.stderr.contains("reboot it with `pio reboot pio09`"),
        "{}",
        run.stderr
    );
    assert!(lab.env.read_config().contains("pio09 = 0"));
}

#[test]
fn an_interrupted_rename_continues_when_run_again() {
    let (lab, _) = lab(60);
    // As if a previous run set the hostname and then stopped.
    fs::write(lab.unit_dir(1).join("hostname"), "pio09\n").unwrap();
    let run = lab.env.run(&["rename", "pio02", "pio09", "--no-wait"]);
    run.ok();
    assert_eq!(
        commands(&lab),
        [
            "hostname",
            "pio version",
            HOSTS_EDIT,
            "internal-sftp",
            BOOT_ID,
            "sudo reboot"
        ]
    );
    assert!(lab.env.read_config().contains("pio09 = 0"));
}

#[test]
fn dry_run_changes_nothing() {
    let (lab, before) = lab(70);
    let run = lab.env.run(&["rename", "pio02", "pio09", "--dry-run"]);
    run.ok();
    assert!(
        run.stderr.contains("sudo hostnamectl set-hostname pio09"),
        "{}",
        run.stderr
    );
    assert!(lab.ssh_log().is_empty());
    assert_eq!(lab.env.read_config(), before);
    // With --json, the plan is the one document on stdout.
    let run = lab
        .env
        .run(&["--json", "rename", "pio02", "pio09", "--dry-run"]);
    let v: serde_json::Value = serde_json::from_str(&run.ok().stdout).unwrap();
    assert_eq!(
        (v["old"].as_str(), v["new"].as_str()),
        (Some("pio02"), Some("pio09"))
    );
    assert_eq!(v["dry_run"], true);
    let plan = v["plan"].as_array().unwrap();
    assert!(
        plan[1]
            .as_str()
            .unwrap()
            .contains("sudo hostnamectl set-hostname pio09"),
        "{v}"
    );
    assert!(lab.ssh_log().is_empty());
    assert_eq!(lab.env.read_config(), before);
}

#[test]
fn a_closed_stderr_does_not_stop_a_rename_midway() {
    let (lab, _) = lab(90);
    let rebooting = lab.reboot_when_asked(1, Some(std::time::Duration::from_millis(300)));
    let mut child = lab
        .env
        .command(&["-v", "rename", "pio02", "pio09", "--timeout", "20"])
        .stdout(std::process::Stdio::null())
        .stderr(std::process::Stdio::piped())
        .spawn()
        .unwrap();
    // As `pio rename ... 2>&1 | true`: nobody reads what pio says.
    drop(child.stderr.take());
    let status = child.wait().unwrap();
    rebooting.join().unwrap();
    assert_eq!(status.code(), Some(0));
    assert!(lab.env.read_config().contains("pio09 = 0"));
    assert!(commands(&lab).contains(&"sudo reboot".to_string()));
}

/// Ctrl-C after the inventory changed says what was done; the same command then resumes (the old
/// name gone, the new one there) instead of saying the old name is not in the inventory.
#[test]
fn an_interrupted_rename_says_what_was_done_and_the_same_command_finishes_it() {
    let (lab, _) = lab(95);
    // The unit hangs when asked to reboot: the rename is interrupted there.
    fs::write(lab.unit_dir(1).join("hang-on"), "sudo reboot").unwrap();
    let child = lab
        .env
        .command(&["rename", "pio02", "pio09", "--timeout", "30"])
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::piped())
        .spawn()
        .unwrap();
    let start = std::time::Instant::now();
    while !commands(&lab).iter().any(|c| c == "sudo reboot") {
        assert!(
            start.elapsed() < std::time::Duration::from_secs(20),
            "{:?}",
            commands(&lab)
        );
        std::thread::sleep(std::time::Duration::from_millis(50));
    }
    // SAFETY: a signal to the child this test started.
    unsafe { libc::kill(child.id() as i32, libc::SIGINT) };
    let out = child.wait_with_output().unwrap();
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(130), "{stderr}");
    assert!(
        stderr.contains("rename interrupted; done so far:")
            && stderr.contains("renamed pio02 to pio09 in config.ini")
            && stderr.contains("Run `pio rename pio02 pio09` to finish it"),
        "{stderr}"
    );
    assert!(lab.env.read_config().contains("pio09 = 0"));

    // The same command again: it resumes, and the unit is rebooted this time.
    fs::remove_file(lab.unit_dir(1).join("hang-on")).unwrap();
    let run = lab.env.run(&["rename", "pio02", "pio09", "--no-wait"]);
    assert!(
        run.ok().stderr.contains("resuming an interrupted rename")
            && run
                .stderr
                .contains("Renamed pio02 to pio09; it is rebooting"),
        "{}",
        run.stderr
    );
    assert!(lab.env.config().with_file_name("config_pio09.ini").exists());
}
