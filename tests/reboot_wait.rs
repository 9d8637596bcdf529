//! `pio reboot --wait` and the waiting `rename` shares: a pretend unit goes down for a while and
//! comes back with a new boot id; one never comes back; one answers without having restarted.

use crate::common;

use std::fs;
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};
use std::time::{Duration, Instant};

use common::lab::{Lab, Web};

fn lab(base: u8) -> Lab {
    let lab = Lab::start(
        &["leader1", "pio02", "pio03", "pio04"],
        base,
        &[Web::Down; 4],
    );
    lab.trust_all();
    lab.write_config("leader1");
    for i in 0..4 {
        fs::write(lab.unit_dir(i).join("boot_id"), "boot-1\n").unwrap();
    }
    lab
}

#[test]
fn waits_for_units_that_really_restart() {
    let lab = lab(150);
    let a = lab.reboot_when_asked(1, Some(Duration::from_millis(1500)));
    let b = lab.reboot_when_asked(2, Some(Duration::from_millis(300)));
    let start = Instant::now();
    let run = lab.env.run(&[
        "reboot",
        "pio02",
        "pio03",
        "--yes",
        "--via",
        "ssh",
        "--wait",
        "--timeout",
        "20",
    ]);
    a.join().unwrap();
    b.join().unwrap();
    run.ok();
    assert!(
        start.elapsed() >= Duration::from_millis(1500),
        "did not wait"
    );
    assert!(
        run.stderr.contains("pio02: back after") && run.stderr.contains("pio03: back after"),
        "{}",
        run.stderr
    );
    // The boot id was read before the reboot, and again after.
    let asked = lab.ssh_commands();
    assert!(
        asked.iter().filter(|c| c.contains("boot_id")).count() >= 4,
        "{asked:?}"
    );
}

#[test]
fn a_unit_that_never_returns_or_never_restarted_is_named_with_exit_1() {
    let lab = lab(160);
    let gone = lab.reboot_when_asked(1, None);
    // pio03 is never taken down: it answers with its old boot id all along.
    let start = Instant::now();
    let run = lab.env.run(&[
        "--json",
        "reboot",
        "pio02",
        "pio03",
        "pio04",
        "--yes",
        "--via",
        "ssh",
        "--wait",
        "--timeout",
        "3",
    ]);
    gone.join().unwrap();
    run.code(1);
    assert!(
        start.elapsed() < Duration::from_secs(15),
        "{:?}",
        start.elapsed()
    );
    let v: serde_json::Value = serde_json::from_str(&run.stdout).unwrap();
    let not_back: Vec<&str> = v["not_back"]
        .as_array()
        .unwrap()
        .iter()
        .map(|n| n["unit"].as_str().unwrap())
        .collect();
    assert_eq!(not_back, ["pio02", "pio03", "pio04"]);
    let why = |u: &str| {
        v["not_back"]
            .as_array()
            .unwrap()
            .iter()
            .find(|n| n["unit"] == u)
            .unwrap()["why"]
            .as_str()
            .unwrap()
            .to_string()
    };
    assert!(
        why("pio03").contains("has not restarted"),
        "{}",
        why("pio03")
    );
    assert!(
        !why("pio02").contains("has not restarted"),
        "{}",
        why("pio02")
    );
    assert!(
        run.stderr
            .contains("not back within 3 s: pio02, pio03, pio04"),
        "{}",
        run.stderr
    );
}

#[test]
fn rename_waits_for_the_reboot_not_just_the_new_name() {
    let lab = lab(170);
    // The hostname answers the new name at once; the unit never restarts.
    // 5 s: room for a few logins on a loaded machine, as the reason shown is the last one seen.
    let run = lab.env.run(&["rename", "pio02", "pio09", "--timeout", "5"]);
    assert!(
        run.code(1).stderr.contains("has not restarted"),
        "{}",
        run.stderr
    );
}

#[test]
fn waits_over_http_also_for_images_without_the_health_endpoint() {
    let lab = Lab::start(&["leader1", "pio02", "pio03"], 180, &[Web::Up; 3]);
    lab.trust_all();
    lab.write_config("leader1");
    for i in 0..3 {
        fs::write(lab.unit_dir(i).join("boot_id"), "boot-1\n").unwrap();
    }
    fs::write(lab.unit_dir(2).join("no-health"), "").unwrap();
    let a = lab.reboot_when_asked(1, Some(Duration::from_millis(800)));
    let b = lab.reboot_when_asked(2, Some(Duration::from_millis(800)));
    let run = lab.env.run(&[
        "reboot",
        "pio02",
        "pio03",
        "--yes",
        "--via",
        "http",
        "--wait",
        "--timeout",
        "20",
    ]);
    a.join().unwrap();
    b.join().unwrap();
    assert!(
        run.ok().stderr.contains("pio03: back after"),
        "{}",
        run.stderr
    );
    assert_eq!(
        lab.asked("sudo reboot", "POST /unit_api/system/reboot")
            .len(),
        2
    );
}

#[test]
fn the_wait_ends_at_its_bound_even_when_the_unit_stalls() {
    let lab = Lab::start(&["leader1", "pio02"], 190, &[Web::Up; 2]);
    lab.trust_all();
    lab.write_config("leader1");
    // Once asked to reboot, pio02 accepts connections but never answers (a Pi mid-boot).
    let dir = lab.unit_dir(1);
    let stalling = std::thread::spawn(move || {
        let start = Instant::now();
        while start.elapsed() < Duration::from_secs(10) {
            let asked = fs::read_to_string(dir.join("http-asked")).unwrap_or_default();
            if asked.contains("POST /unit_api/system/reboot") {
                fs::write(dir.join("stall"), "").unwrap();
                return;
            }
            std::thread::sleep(Duration::from_millis(10));
        }
    });
    let start = Instant::now();
    let run = lab.env.run(&[
        "reboot",
        "pio02",
        "--yes",
        "--via",
        "http",
        "--wait",
        "--timeout",
        "2",
    ]);
    stalling.join().unwrap();
    run.code(1);
    // Each request alone may take 10 s; the wait as a whole stops at its 2 s (plus a margin).
    assert!(
        start.elapsed() < Duration::from_secs(6),
        "{:?}",
        start.elapsed()
    );
    assert!(
        run.stderr.contains("not back within 2 s: pio02"),
        "{}",
        run.stderr
    );
}

#[test]
fn every_step_of_the_wait_is_bounded_by_what_is_left_of_it() {
    let lab = Lab::start(&["leader1", "pio02"], 200, &[Web::Up; 2]);
    lab.write_config("leader1");
    let addr = lab.units[1].addr.clone();
    // pio02's web API takes 8 s to answer (then says it is pio02), and its SSH port answers
    // nothing once the reboot was asked (before, nothing listens: no boot id to compare).
    fs::write(lab.unit_dir(1).join("stall"), "").unwrap();
    let ssh_port = std::net::TcpListener::bind((addr.as_str(), 0))
        .unwrap()
        .local_addr()
        .unwrap()
        .port();
    let config = lab.env.home().join(".ssh/config");
    let text = fs::read_to_string(&config).unwrap();
    fs::write(
        &config,
        format!("Host pio02 {addr}\n    Port {ssh_port}\n{text}"),
    )
    .unwrap();
    let (dir, done) = (lab.unit_dir(1), Arc::new(AtomicBool::new(false)));
    let until_done = done.clone();
    let silent = std::thread::spawn(move || {
        while !fs::read_to_string(dir.join("http-asked"))
            .unwrap_or_default()
            .contains("POST /unit_api/system/reboot")
        {
            if until_done.load(Ordering::Relaxed) {
                return;
            }
            std::thread::sleep(Duration::from_millis(10));
        }
        let listener = std::net::TcpListener::bind((addr.as_str(), ssh_port)).unwrap();
        listener.set_nonblocking(true).unwrap();
        let mut held = Vec::new();
        while !until_done.load(Ordering::Relaxed) {
            if let Ok(s) = listener.accept() {
                held.push(s);
            }
            std::thread::sleep(Duration::from_millis(10));
        }
    });
    let run = lab.env.run(&[
        "reboot",
        "pio02",
        "--yes",
        "--via",
        "http",
        "--wait",
        "--timeout",
        "9",
    ]);
    let ended = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .unwrap()
        .as_nanos();
    run.code(1);
    let asked = lab.asked("sudo reboot", "POST /unit_api/system/reboot")["pio02"];
    let waited = Duration::from_nanos((ended - asked) as u64);
    // The health check took 8 of the 9 s; reading the boot id gets the 1 s left, not 9 more.
    assert!(waited < Duration::from_millis(11_500), "waited {waited:?}");
    assert!(
        run.stderr.contains("not back within 9 s: pio02"),
        "{}",
        run.stderr
    );
    done.store(true, Ordering::Relaxed);
    silent.join().unwrap();
}
