//! Several writers at once, and writers killed mid-write: config.ini never loses an edit and is
//! never seen half-written.

use crate::common;

use common::Env;
use std::process::Stdio;
use std::time::{Duration, Instant};

#[test]
fn two_processes_adding_200_workers_each_lose_nothing() {
    let env = Env::new();
    env.write_config(
        "[cluster.topology]\nleader_hostname=leader1\n\n[cluster.inventory]\n# workers\n",
    );
    std::thread::scope(|s| {
        for side in ["a", "b"] {
            let env = &env;
            s.spawn(move || {
                for i in 0..200 {
                    env.run(&[
                        "-q",
                        "workers",
                        "add",
                        &format!("w{side}{i:03}"),
                        "--offline",
                    ])
                    .ok();
                }
            });
        }
    });
    let ini = common::python_reads(&env.config(), "current").unwrap();
    let inventory = &ini["cluster.inventory"];
    assert_eq!(inventory.len(), 400);
    for side in ["a", "b"] {
        for i in 0..200 {
            assert_eq!(inventory[&format!("w{side}{i:03}")], "1");
        }
    }
}

/// A small deterministic generator (xorshift64), so a failing sequence can be replayed by seed.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 << 13;
        self.0 ^= self.0 >> 7;
        self.0 ^= self.0 << 17;
        self.0
    }
}

#[test]
fn sigkill_at_random_moments_leaves_old_or_new() {
    let env = Env::new();
    let mut text = String::from(
        "# big lab\n[cluster.topology]\nleader_hostname=leader1\n\n[cluster.inventory]\n",
    );
    for i in 0..5000 {
        text.push_str(&format!("pio{i:04}=1\n"));
    }
    env.write_config(&text);

    // How long one write takes here, to spread the kills over it.
    let start = Instant::now();
    // (Both exit 1 here: no worker answers to receive config.ini or halt its jobs; config.ini is
    // written first.)
    env.run(&["workers", "set-active", "pio0000", "0"]).code(1);
    env.run(&["workers", "set-active", "pio0000", "1"]).code(1);
    assert!(env.read_config().contains("\npio0000=1\n"));
    let span = (start.elapsed() / 2).as_micros() as u64 + 1;

    let seed = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .unwrap()
        .as_nanos() as u64
        | 1;
    let mut rng = Rng(seed);
    let mut current = env.read_config();
    let (mut kept_old, mut got_new) = (0, 0);
    for round in 0..200 {
        let name = format!("pio{:04}", rng.next() % 5000);
        let active = if current.contains(&format!("\n{name}=1\n")) {
            "0"
        } else {
            "1"
        };
        let new = current.replace(
            &format!("\n{name}={}\n", if active == "1" { "0" } else { "1" }),
            &format!("\n{name}={active}\n"),
        );
        let mut child = env
            .command(&["-q", "workers", "set-active", &name, active])
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .unwrap();
        std::thread::sleep(Duration::from_micros(rng.next() % (span * 6 / 5)));
        let _ = child.kill();
        child.wait().unwrap();
        let seen = env.read_config();
        if seen == current {
            kept_old += 1;
        } else if seen == new {
            got_new += 1;
            current = seen;
        } else {
            panic!(
                "round {round} (seed {seed}): config.ini is neither the old nor the new version"
            );
        }
    }
    common::python_reads(&env.config(), "legacy").unwrap();
    // Both outcomes occurred, so kills did land before and after the rename.
    assert!(
        kept_old > 0 && got_new > 0,
        "old {kept_old}, new {got_new} (seed {seed})"
    );
}

/// Temporary files beside config.ini: pio's own leftovers and a planted name.
fn leftovers(env: &Env) -> Vec<String> {
    let dir = env.config().parent().unwrap().to_path_buf();
    std::fs::read_dir(dir)
        .unwrap()
        .flatten()
        .map(|e| e.file_name().to_string_lossy().into_owned())
        .filter(|n| n.contains("pio-tmp"))
        .collect()
}

#[test]
fn sigint_and_sigterm_mid_write_leave_no_temporary_file_and_a_dead_writers_is_swept() {
    let env = Env::new();
    let mut text =
        String::from("[cluster.topology]\nleader_hostname=leader1\n\n[cluster.inventory]\n");
    for i in 0..5000 {
        text.push_str(&format!("pio{i:04}=1\n"));
    }
    env.write_config(&text);
    let start = Instant::now();
    env.run(&["workers", "set-active", "pio0000", "0", "--offline"])
        .ok();
    let span = start.elapsed().as_micros() as u64 + 1;
    let mut rng = Rng(0x9e37_79b9_7f4a_7c15);
    for round in 0..120 {
        let active = if round % 2 == 0 { "1" } else { "0" };
        let child = env
            .command(&[
                "-q",
                "workers",
                "set-active",
                "pio0000",
                active,
                "--offline",
            ])
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .unwrap();
        std::thread::sleep(Duration::from_micros(rng.next() % (span * 6 / 5)));
        let signal = if round % 3 == 0 {
            libc::SIGINT
        } else {
            libc::SIGTERM
        };
        // SAFETY: a signal to the child this test started.
        unsafe { libc::kill(child.id() as i32, signal) };
        let mut child = child;
        child.wait().unwrap();
    }
    assert_eq!(leftovers(&env), Vec::<String>::new());
    common::python_reads(&env.config(), "legacy").unwrap();

    // What a SIGKILLed writer left (its process gone) is swept by the next write; a name that
    // is not pio's is left alone.
    let mut dead = std::process::Command::new("true").spawn().unwrap();
    let pid = dead.id();
    dead.wait().unwrap();
    let dir = env.config().parent().unwrap().to_path_buf();
    std::fs::write(
        dir.join(format!(".config.ini.pio-tmp.{pid}.00ff00ff00ff00ff")),
        "half",
    )
    .unwrap();
    std::fs::write(dir.join(".config.ini.pio-tmp"), "someone else's").unwrap();
    env.run(&["workers", "set-active", "pio0001", "0", "--offline"])
        .ok();
    assert_eq!(leftovers(&env), [".config.ini.pio-tmp"]);
}
