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
