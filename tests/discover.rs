//! mDNS: discovery and `<name>.local` resolution, only ever inside a network namespace this test
//! creates (mdns-sd joins multicast on every interface it sees, so in the root namespace it would
//! talk to the real network).

use crate::common;

use std::collections::HashMap;
use std::time::{Duration, Instant};

use common::lab::{Lab, Web};
use mdns_sd::{ServiceDaemon, ServiceInfo};

const MDNS_ON: [(&str, &str); 1] = [("PIO_MDNS", "1")];

/// Advertises `_pio-worker._tcp.local.` for each (hostname, IPv4), as workers do.
fn responder(workers: &[(&str, &str)]) -> ServiceDaemon {
    let daemon = ServiceDaemon::new().unwrap();
    for (name, ip) in workers {
        let info = ServiceInfo::new(
            "_pio-worker._tcp.local.",
            name,
            &format!("{name}.local."),
            *ip,
            22,
            None::<HashMap<String, String>>,
        )
        .unwrap();
        daemon.register(info).unwrap();
    }
    daemon
}

#[test]
fn discover_finds_exactly_the_advertised_workers() {
    common::in_netns("discover_finds_exactly_the_advertised_workers", || {
        let _responder = responder(&[
            ("pio-a", "127.0.0.2"),
            ("pio-b", "127.0.0.3"),
            ("pio-c", "127.0.0.4"),
        ]);
        let env = common::Env::new();
        env.write_config("[cluster.inventory]\npio-b=1\n");
        let run = env.run_with(
            &["--json", "workers", "discover", "--timeout", "2"],
            &MDNS_ON,
        );
        let found: serde_json::Value = serde_json::from_str(&run.ok().stdout).unwrap();
        assert_eq!(
            found,
            serde_json::json!([
                {"name": "pio-a", "address": "127.0.0.2", "in_inventory": false},
                {"name": "pio-b", "address": "127.0.0.3", "in_inventory": true},
                {"name": "pio-c", "address": "127.0.0.4", "in_inventory": false},
            ])
        );
        let run = env.run_with(
            &["workers", "discover", "--new", "--timeout", "2"],
            &MDNS_ON,
        );
        let names: Vec<&str> = run
            .ok()
            .stdout
            .lines()
            .skip(1)
            .filter_map(|l| l.split_whitespace().next())
            .collect();
        assert_eq!(names, ["pio-a", "pio-c"]);
    });
}

#[test]
fn discover_ends_after_its_timeout() {
    common::in_netns("discover_ends_after_its_timeout", || {
        let env = common::Env::new();
        let start = std::time::Instant::now();
        let run = env.run_with(&["workers", "discover", "--timeout", "1"], &MDNS_ON);
        run.ok();
        assert!(
            start.elapsed() < Duration::from_secs(4),
            "took {:?}",
            start.elapsed()
        );
        assert!(run.stderr.contains("No workers found."), "{}", run.stderr);
        // The Python CLI's -t/--terminate is accepted: pio ends after --timeout anyway.
        let start = std::time::Instant::now();
        let run = env.run_with(&["workers", "discover", "-t", "--timeout", "1"], &MDNS_ON);
        run.ok();
        assert!(start.elapsed() < Duration::from_secs(4));
    });
}

#[test]
fn add_without_an_address_resolves_name_dot_local() {
    common::in_netns("add_without_an_address_resolves_name_dot_local", || {
        let lab = Lab::start(&["leader1", "pio-c"], 10, &[Web::Down, Web::Down]);
        lab.authorize_leader(1);
        let addr = lab.units[1].addr.clone();
        let _responder = responder(&[("pio-c", &addr)]);
        lab.env.write_config(
            "[cluster.topology]\nleader_hostname=leader1\n\n[cluster.inventory]\nleader1=1\n",
        );
        let run = lab.env.run_with(&["workers", "add", "pio-c"], &MDNS_ON);
        run.ok();
        assert!(
            run.stderr.contains(&format!("pio-c: address {addr}")),
            "{}",
            run.stderr
        );
        let ini = common::python_reads(&lab.env.config(), "current").unwrap();
        assert_eq!(ini["cluster.inventory"]["pio-c"], "1");
        // An address found by mDNS is a DHCP lease of the day: used, never written down.
        assert!(
            ini.get("cluster.addresses")
                .is_none_or(|a| !a.contains_key("pio-c")),
            "{ini:?}"
        );
        // Its host key is filed under the name it is reached by, as `ssh pio-c.local` would.
        let known = std::fs::read_to_string(lab.env.home().join(".ssh/known_hosts")).unwrap();
        assert!(
            known.starts_with(&format!("[pio-c.local]:{} ssh-ed25519 ", lab.ssh_port)),
            "{known}"
        );
    });
}

#[test]
fn a_unit_found_by_mdns_is_known_by_its_name_not_by_a_dhcp_address() {
    common::in_netns(
        "a_unit_found_by_mdns_is_known_by_its_name_not_by_a_dhcp_address",
        || {
            let lab = Lab::start(&["leader1", "pio-c"], 60, &[Web::Down, Web::Down]);
            lab.authorize_leader(1);
            let addr = lab.units[1].addr.clone();
            let _responder = responder(&[("pio-c", &addr)]);
            lab.env.write_config(
            "[cluster.topology]\nleader_hostname=leader1\n\n[cluster.inventory]\nleader1=1\npio-c=1\n",
        );
            // known_hosts as a real leader's `ssh pioreactor@pio-c.local` left it, plus a line for
            // the address pio-c leased today, left by the unit that held that lease before.
            let public = std::fs::read_to_string(lab.state.join("host_key.pub")).unwrap();
            let key: Vec<&str> = public.split_whitespace().take(2).collect();
            let other = lab.state.join("other_key");
            assert!(
                std::process::Command::new("ssh-keygen")
                    .args(["-q", "-t", "ed25519", "-N", "", "-f"])
                    .arg(&other)
                    .status()
                    .unwrap()
                    .success()
            );
            let other = std::fs::read_to_string(other.with_extension("pub")).unwrap();
            let other: Vec<&str> = other.split_whitespace().take(2).collect();
            let port = lab.ssh_port;
            std::fs::write(
                lab.env.home().join(".ssh/known_hosts"),
                format!(
                    "[pio-c.local]:{port} {} {}\n[{addr}]:{port} {} {}\n",
                    key[0], key[1], other[0], other[1]
                ),
            )
            .unwrap();
            let run = lab.env.run_with(
                &[
                    "workers",
                    "status",
                    "pio-c",
                    "--via",
                    "ssh",
                    "--timeout",
                    "5",
                ],
                &MDNS_ON,
            );
            run.ok();
        },
    );
}

#[test]
fn discover_new_in_the_database_era_means_not_in_the_leader_database() {
    common::in_netns(
        "discover_new_in_the_database_era_means_not_in_the_leader_database",
        || {
            let _responder = responder(&[("pio-a", "127.0.0.2"), ("pio-b", "127.0.0.3")]);
            // Inside the namespace, so the pretend leader's loopback is this namespace's.
            let api = common::leader_api::LeaderApi::start("127.0.0.1:0");
            api.add_worker("pio-a", true, None, None);
            let env = common::Env::new();
            // The stale config.ini inventory lists pio-b: it must not count.
            env.write_config(&format!(
            "[cluster.topology]\nleader_hostname=leader1\n\n[cluster.inventory]\npio-b=1\n\n[ui]\nport={}\n",
            api.port()
        ));
            let run = env.run_with(
                &["--json", "workers", "discover", "--new", "--timeout", "2"],
                &MDNS_ON,
            );
            let found: serde_json::Value = serde_json::from_str(&run.ok().stdout).unwrap();
            assert_eq!(
                found,
                serde_json::json!([{"name": "pio-b", "address": "127.0.0.3", "in_inventory": false}])
            );
        },
    );
}

#[test]
fn doctor_times_mdns_and_names_what_does_not_resolve() {
    common::in_netns("doctor_times_mdns_and_names_what_does_not_resolve", || {
        let lab = Lab::start(&["leader1", "pio-c"], 40, &[Web::Up, Web::Up]);
        lab.trust_all();
        let addr = lab.units[1].addr.clone();
        let _responder = responder(&[("pio-c", &addr)]);
        lab.env.write_config(&format!(
            "[cluster.topology]\nleader_hostname=leader1\n\n[cluster.inventory]\npio-c=1\npio-gone=1\n\n[ui]\nport={}\n",
            lab.web_port
        ));
        let mut vars = MDNS_ON.to_vec();
        vars.push(("PIO_INVENTORY", "config"));
        let run = lab
            .env
            .run_with(&["--json", "doctor", "--timeout", "2"], &vars);
        let checks: serde_json::Value = serde_json::from_str(&run.code(1).stdout).unwrap();
        let find = |unit: &str| {
            checks
                .as_array()
                .unwrap()
                .iter()
                .find(|c| c["unit"] == unit && c["check"] == "address")
                .unwrap_or_else(|| panic!("{checks}"))
                .clone()
        };
        let found = find("pio-c");
        assert_eq!(found["verdict"], "ok", "{found}");
        assert!(
            found["detail"]
                .as_str()
                .unwrap()
                .contains(&format!("{addr} (pio-c.local by mDNS")),
            "{found}"
        );
        let gone = find("pio-gone");
        assert_eq!(gone["verdict"], "fail", "{gone}");
        assert!(
            gone["fix"].as_str().unwrap().contains("blocks mDNS"),
            "{gone}"
        );
    });
}

#[test]
fn discovered_names_reach_the_terminal_escaped() {
    common::in_netns("discovered_names_reach_the_terminal_escaped", || {
        // A responder on the LAN whose instance and host names carry terminal escapes.
        let _responder = responder(&[("pio-\u{1b}[2Jx", "127.0.0.2")]);
        let env = common::Env::new();
        env.write_config("[cluster.inventory]\npio-b=1\n");
        let run = env.run_with(&["workers", "discover", "--timeout", "2"], &MDNS_ON);
        let out = &run.ok().stdout;
        assert!(out.contains("pio-\\x1b[2jx"), "{out:?}");
        assert!(!out.contains('\u{1b}'), "{out:?}");
        // On a terminal (a boxed table, a spinner), the name's escape is shown, not obeyed.
        let screen = env.on_terminal("workers discover --timeout 2", &MDNS_ON, "");
        assert!(screen.contains("pio-\\x1b[2jx"), "{screen:?}");
        assert!(!screen.contains("\u{1b}[2j"), "{screen:?}");
    });
}

#[test]
fn a_slow_mdns_answer_is_part_of_the_timeout() {
    common::in_netns("a_slow_mdns_answer_is_part_of_the_timeout", || {
        let lab = Lab::start(&["leader1"], 70, &[Web::Down]);
        // pio-s answers mDNS only after 2 s, and its SSH port accepts and says nothing.
        let addr = "127.0.1.79";
        let silent = std::net::TcpListener::bind((addr, lab.ssh_port)).unwrap();
        std::thread::spawn(move || {
            let mut held = Vec::new();
            for s in silent.incoming() {
                held.push(s);
            }
        });
        lab.env.write_config(
            "[cluster.topology]\nleader_hostname=leader1\n\n[cluster.inventory]\nleader1=1\npio-s=1\n",
        );
        for args in [
            &["identify", "pio-s", "--timeout", "5", "--duration", "1"][..],
            &["workers", "add", "pio-s", "--timeout", "5"],
        ] {
            let start = Instant::now();
            let late = std::thread::spawn(move || {
                std::thread::sleep(Duration::from_secs(2));
                (responder(&[("pio-s", addr)]), Instant::now())
            });
            let run = lab.env.run_with(args, &MDNS_ON);
            let took = start.elapsed();
            // Gone before the next run, which must wait for its own late answer.
            let (daemon, answering) = late.join().unwrap();
            daemon.shutdown().unwrap();
            run.code(1);
            // The name was found (late), and the lookup's time came out of --timeout: pio ended
            // before a whole --timeout after the answer, which it could not have had sooner.
            // (Starting and ending pio may cost up to the 2 s the answer waits, more on a loaded
            // machine, where the answer comes later too.)
            assert!(
                !run.stderr.contains("did not answer mDNS"),
                "{args:?}: {}",
                run.stderr
            );
            let bound = answering.duration_since(start) + Duration::from_secs(5);
            assert!(took < bound, "{args:?} took {took:?} (bound {bound:?})");
        }
    });
}

#[test]
fn ssh_config_is_matched_against_the_dot_local_name_pio_connects_by() {
    common::in_netns(
        "ssh_config_is_matched_against_the_dot_local_name_pio_connects_by",
        || {
            let lab = Lab::start(&["leader1", "pio-c"], 80, &[Web::Down, Web::Down]);
            lab.trust_all();
            let addr = lab.units[1].addr.clone();
            let _responder = responder(&[("pio-c", &addr)]);
            lab.env.write_config(
                "[cluster.topology]\nleader_hostname=leader1\n\n[cluster.inventory]\nleader1=1\npio-c=1\n",
            );
            let config = lab.env.home().join(".ssh/config");
            let lab_config = std::fs::read_to_string(&config).unwrap();
            // As a leader's `ssh pioreactor@pio-c.local` reads it: this unit is not to be
            // reached directly.
            for pattern in ["*.local", "pio-c.local"] {
                std::fs::write(
                    &config,
                    format!("Host {pattern}\n    ProxyCommand /bin/false\n{lab_config}"),
                )
                .unwrap();
                let run = lab.env.run_with(
                    &[
                        "workers",
                        "status",
                        "pio-c",
                        "--via",
                        "ssh",
                        "--timeout",
                        "5",
                    ],
                    &MDNS_ON,
                );
                run.code(1);
                assert!(
                    run.stderr.contains("ProxyCommand `/bin/false`"),
                    "{pattern}: {}",
                    run.stderr
                );
                assert!(lab.ssh_log().is_empty(), "{pattern}: {:?}", lab.ssh_log());
            }
        },
    );
}
