//! Trust on a real lab network, against a real OpenSSH sshd (whose shim only records) and real
//! HTTP servers: host keys as OpenSSH files them, `~/.ssh/config` as ssh reads it, bounded waits
//! and bounded answers, https named, and one rule for where a unit is.

use crate::common;

use std::fs;
use std::net::TcpListener;
use std::os::unix::net::UnixListener;
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

use common::Run;
use common::lab::{Lab, Web};

/// leader1 and pio02 at 127.0.1.<base>, <base+1>, both accepting this leader's key; nothing in
/// known_hosts yet.
fn lab(base: u8, web: Web) -> Lab {
    let lab = Lab::start(&["leader1", "pio02"], base, &[web, web]);
    lab.write_config("leader1");
    lab.authorize_leader(0);
    lab.authorize_leader(1);
    lab
}

/// Hashes the leader's known_hosts as OpenSSH itself does (`ssh-keygen -H`).
fn hash_known_hosts(lab: &Lab) {
    let hashed = Command::new("ssh-keygen")
        .arg("-H")
        .arg("-f")
        .arg(known_hosts(lab))
        .output()
        .unwrap();
    assert!(hashed.status.success());
}

fn known_hosts(lab: &Lab) -> std::path::PathBuf {
    lab.env.home().join(".ssh/known_hosts")
}

/// The lab sshd's host key: (type, base64).
fn host_key(lab: &Lab) -> (String, String) {
    let public = fs::read_to_string(lab.state.join("host_key.pub")).unwrap();
    let mut f = public.split_whitespace();
    (f.next().unwrap().to_string(), f.next().unwrap().to_string())
}

/// A freshly made public key of `kind` (another machine's): (type, base64).
fn other_key(lab: &Lab, kind: &str) -> (String, String) {
    let path = lab.state.join(format!("other_{kind}"));
    let ok = Command::new("ssh-keygen")
        .args(["-q", "-t", kind, "-N", "", "-f"])
        .arg(&path)
        .status()
        .unwrap()
        .success();
    assert!(ok);
    let public = fs::read_to_string(path.with_extension("pub")).unwrap();
    let mut f = public.split_whitespace();
    (f.next().unwrap().to_string(), f.next().unwrap().to_string())
}

/// Puts `lines` (host, (type, key)) in known_hosts, replacing what was there.
fn file_keys(lab: &Lab, lines: &[(&str, &(String, String))]) {
    let text: String = lines
        .iter()
        .map(|(host, (t, k))| format!("{host} {t} {k}\n"))
        .collect();
    fs::write(known_hosts(lab), text).unwrap();
}

/// Prepends `text` to the lab's ~/.ssh/config (OpenSSH: the first value wins).
fn ssh_config(lab: &Lab, text: &str) {
    let path = lab.env.home().join(".ssh/config");
    let old = fs::read_to_string(&path).unwrap();
    fs::write(&path, format!("{text}\n{old}")).unwrap();
}

fn status_via_ssh(lab: &Lab, unit: &str) -> Run {
    lab.env
        .run(&["workers", "status", unit, "--via", "ssh", "--timeout", "5"])
}

/// Runs pio, killing it (and failing) if it is still running after `limit`.
fn run_bounded(mut cmd: Command, limit: Duration) -> (Run, Duration) {
    let start = Instant::now();
    let mut child = cmd
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    loop {
        if child.try_wait().unwrap().is_some() {
            break;
        }
        if start.elapsed() > limit {
            let _ = child.kill();
            let out = child.wait_with_output().unwrap();
            panic!(
                "pio still ran after {limit:?}\nstderr:\n{}",
                String::from_utf8_lossy(&out.stderr)
            );
        }
        std::thread::sleep(Duration::from_millis(20));
    }
    let took = start.elapsed();
    let out = child.wait_with_output().unwrap();
    (
        Run {
            code: out.status.code().unwrap_or(-1),
            stdout: String::from_utf8_lossy(&out.stdout).into_owned(),
            stderr: String::from_utf8_lossy(&out.stderr).into_owned(),
        },
        took,
    )
}

#[test]
fn host_keys_are_found_under_every_name_openssh_files_them_by() {
    let lab = lab(10, Web::Down);
    let key = host_key(&lab);
    let (ip, port) = (lab.units[1].addr.clone(), lab.ssh_port);
    // As a real leader's ssh filed it: `pioreactor@pio02.local`, or the bare name.
    for host in [format!("[pio02.local]:{port}"), format!("[pio02]:{port}")] {
        file_keys(&lab, &[(&host, &key)]);
        status_via_ssh(&lab, "pio02").ok();
    }
    // Hashed by OpenSSH itself (`ssh-keygen -H`), read once.
    file_keys(&lab, &[(&format!("[{ip}]:{port}"), &key)]);
    hash_known_hosts(&lab);
    let text = fs::read_to_string(known_hosts(&lab)).unwrap();
    assert!(text.starts_with("|1|") && !text.contains(&ip), "{text}");
    status_via_ssh(&lab, "pio02").ok();
    // Under another unit's name only: not this unit's key.
    file_keys(&lab, &[(&format!("[pio03.local]:{port}"), &key)]);
    let run = status_via_ssh(&lab, "pio02");
    run.code(1);
    assert!(
        run.stderr.contains("is not in known_hosts"),
        "{}",
        run.stderr
    );
}

#[test]
fn a_stored_key_of_another_type_is_not_yet_known_never_changed() {
    let lab = lab(20, Web::Down);
    let port = lab.ssh_port;
    let ip = lab.units[1].addr.clone();
    // known_hosts holds pio02's ECDSA key; its sshd offers only Ed25519.
    let ecdsa = other_key(&lab, "ecdsa");
    file_keys(&lab, &[(&format!("[{ip}]:{port}"), &ecdsa)]);
    let run = status_via_ssh(&lab, "pio02");
    run.code(1);
    assert!(
        run.stderr.contains("is not in known_hosts")
            && run.stderr.contains("ecdsa-sha2-nistp256")
            && !run.stderr.contains("CHANGED"),
        "{}",
        run.stderr
    );
    // A different key of the same type is a changed key, with where it is and how to drop it.
    let ed = other_key(&lab, "ed25519");
    file_keys(&lab, &[(&format!("[{ip}]:{port}"), &ed)]);
    let run = status_via_ssh(&lab, "pio02");
    run.code(1);
    assert!(
        run.stderr.contains("HOST KEY CHANGED")
            && run.stderr.contains("known_hosts:1")
            && run
                .stderr
                .contains(&format!("ssh-keygen -R '[{ip}]:{port}'")),
        "{}",
        run.stderr
    );
    // @revoked refuses the key outright.
    let key = host_key(&lab);
    fs::write(
        known_hosts(&lab),
        format!(
            "[{ip}]:{port} {t} {k}\n@revoked * {t} {k}\n",
            t = key.0,
            k = key.1
        ),
    )
    .unwrap();
    let run = status_via_ssh(&lab, "pio02");
    run.code(1);
    assert!(run.stderr.contains("@revoked"), "{}", run.stderr);
    assert!(!lab.ssh_commands().iter().any(|c| c == "hostname"));
}

#[test]
fn host_key_alias_and_user_known_hosts_file_are_honoured() {
    let lab = lab(30, Web::Down);
    let key = host_key(&lab);
    let own_file = lab.env.home().join(".ssh/lab_hosts");
    fs::write(&own_file, format!("lab-pio02 {} {}\n", key.0, key.1)).unwrap();
    // pio02 is reached at its [cluster.addresses] entry, the host ssh is given on a leader.
    ssh_config(
        &lab,
        &format!(
            "Host {}\n    HostKeyAlias lab-pio02\n    UserKnownHostsFile ~/.ssh/lab_hosts\n",
            lab.units[1].addr
        ),
    );
    status_via_ssh(&lab, "pio02").ok();
    // The alias is the name the key is checked under: another key there is a changed key.
    let ed = other_key(&lab, "ed25519");
    fs::write(&own_file, format!("lab-pio02 {} {}\n", ed.0, ed.1)).unwrap();
    let run = status_via_ssh(&lab, "pio02");
    run.code(1);
    assert!(
        run.stderr.contains("HOST KEY CHANGED for lab-pio02") && run.stderr.contains("lab_hosts:1"),
        "{}",
        run.stderr
    );
    // The default file is not read when UserKnownHostsFile names another.
    file_keys(&lab, &[("lab-pio02", &key)]);
    status_via_ssh(&lab, "pio02").code(1);
}

#[test]
fn a_new_key_is_trusted_only_after_the_login_succeeded() {
    let lab = Lab::start(&["leader1", "newbie", "pio03"], 40, &[Web::Down; 3]);
    lab.write_config("leader1");
    let (newbie, port) = (lab.units[1].addr.clone(), lab.ssh_port);
    // `workers add` with a wrong password: the unit did not let pio in, so its key is not kept.
    let run = lab.env.run(&[
        "workers",
        "add",
        "newbie",
        "-a",
        &newbie,
        "-p",
        "wrong",
        "--timeout",
        "5",
    ]);
    assert_ne!(run.code, 0, "{}", run.stderr);
    let kept = fs::read_to_string(known_hosts(&lab)).unwrap_or_default();
    assert!(!kept.contains(&newbie), "{kept}");

    // StrictHostKeyChecking accept-new: kept once logged in, not before.
    ssh_config(&lab, "Host *\n    StrictHostKeyChecking accept-new\n");
    let run = status_via_ssh(&lab, "pio03");
    run.code(1);
    assert!(
        !known_hosts(&lab).exists()
            || !fs::read_to_string(known_hosts(&lab))
                .unwrap()
                .contains(&lab.units[2].addr)
    );
    lab.authorize_leader(2);
    status_via_ssh(&lab, "pio03").ok();
    let kept = fs::read_to_string(known_hosts(&lab)).unwrap();
    assert!(
        kept.contains(&format!("[{}]:{port} ssh-ed25519 ", lab.units[2].addr)),
        "{kept}"
    );
    let _ = newbie;
}

/// A relay for ProxyCommand: connects to host:port, pumps both ways, and leaves a mark.
/// What `workers status` asks a unit over SSH: its name, then its release.
const STATUS_COMMAND: &str = "hostname && { timeout 5 pio version 2>/dev/null || true; }";

const RELAY: &str = r#"
import os, socket, sys, threading
s = socket.create_connection((sys.argv[1], int(sys.argv[2])))
open(sys.argv[3], "a").write("relayed\n")
def up():
    while True:
        d = os.read(0, 65536)
        if not d:
            s.shutdown(socket.SHUT_WR)
            return
        s.sendall(d)
threading.Thread(target=up, daemon=True).start()
while True:
    d = s.recv(65536)
    if not d:
        break
    os.write(1, d)
"#;

#[test]
fn proxy_command_include_and_match_are_honoured_or_named() {
    let lab = lab(50, Web::Down);
    lab.trust_all();
    // ProxyCommand /bin/false: ssh would fail, so pio must fail too, never connect directly.
    fs::create_dir_all(lab.env.home().join(".ssh/conf.d")).unwrap();
    // pio02 is reached at its [cluster.addresses] entry: ssh config is matched against that.
    let ip = lab.units[1].addr.clone();
    fs::write(
        lab.env.home().join(".ssh/conf.d/10-lab.conf"),
        format!("Host {ip}\n    ProxyCommand /bin/false\n"),
    )
    .unwrap();
    ssh_config(
        &lab,
        "Include conf.d/*.conf\nMatch exec \"true\"\n    User nobody\n",
    );
    let run = status_via_ssh(&lab, "pio02");
    run.code(1);
    assert!(run.stderr.contains("ProxyCommand"), "{}", run.stderr);
    assert!(
        run.stderr.contains("Match exec") && run.stderr.contains("not supported"),
        "{}",
        run.stderr
    );
    assert!(lab.ssh_commands().is_empty(), "{:?}", lab.ssh_commands());

    // A block for the bare name only is not the host ssh is given (`ssh pioreactor@<address>`
    // would not apply it either): it is named, never passed over in silence.
    fs::write(
        lab.env.home().join(".ssh/conf.d/10-lab.conf"),
        "Host pio02\n    ProxyCommand /bin/false\n",
    )
    .unwrap();
    let run = status_via_ssh(&lab, "pio02");
    run.ok();
    assert!(
        run.stderr
            .contains("10-lab.conf:1: Host pio02 selects pio02 but not")
            && run.stderr.contains(&format!("not {ip}, the name pio"))
            && run.stderr.contains("not applied"),
        "{}",
        run.stderr
    );

    // A working ProxyCommand carries the session.
    let relay = lab.state.join("relay.py");
    fs::write(&relay, RELAY).unwrap();
    let mark = lab.state.join("relayed");
    fs::write(
        lab.env.home().join(".ssh/conf.d/10-lab.conf"),
        format!(
            "Host {ip}\n    ProxyCommand python3 {} %h %p {}\n",
            relay.display(),
            mark.display()
        ),
    )
    .unwrap();
    status_via_ssh(&lab, "pio02").ok();
    assert_eq!(fs::read_to_string(&mark).unwrap(), "relayed\n");
    assert_eq!(lab.ssh_commands(), [STATUS_COMMAND, STATUS_COMMAND]);
}

#[test]
fn a_silent_ssh_agent_does_not_hold_pio_past_its_timeout() {
    let lab = lab(60, Web::Down);
    lab.trust_all();
    // An agent that accepts connections and never answers.
    let socket = lab.state.join("agent.sock");
    let listener = UnixListener::bind(&socket).unwrap();
    let _held = std::thread::spawn(move || {
        let mut held = Vec::new();
        for s in listener.incoming() {
            held.push(s);
        }
    });
    let mut cmd = lab.env.command(&[
        "workers",
        "status",
        "pio02",
        "--via",
        "ssh",
        "--timeout",
        "2",
    ]);
    cmd.env("SSH_AUTH_SOCK", &socket);
    let ((run, took), _, start_up) = lab.env.timed(|| run_bounded(cmd, Duration::from_secs(20)));
    run.code(1);
    assert!(run.stderr.contains("ssh-agent"), "{}", run.stderr);
    // --timeout and 3 s, and what starting pio costs here now.
    let bound = Duration::from_secs(5) + start_up;
    assert!(took < bound, "took {took:?} (bound {bound:?})");
}

#[test]
fn endless_output_is_cut_with_memory_bounded() {
    let lab = lab(70, Web::Down);
    lab.trust_all();
    // pio02's `hostname` prints /dev/zero forever.
    let name_file = lab.unit_dir(1).join("hostname");
    fs::remove_file(&name_file).unwrap();
    std::os::unix::fs::symlink("/dev/zero", &name_file).unwrap();
    let (run, peak_kib) = common::run_measured(&lab.env.command(&[
        "workers",
        "status",
        "pio02",
        "--via",
        "ssh",
        "--timeout",
        "10",
    ]));
    let out = run.stderr;
    assert_eq!(run.code, 1, "{out}");
    assert!(out.contains("more than 1024 KiB"), "{out}");
    // ru_maxrss is in KiB: far below what 10 s of /dev/zero would fill.
    assert!(peak_kib < 64 * 1024, "peak RSS {peak_kib} KiB");
}

#[test]
fn https_is_named_not_taken_for_a_refused_connection() {
    let lab = lab(80, Web::Up);
    lab.trust_all();
    let text = lab.env.read_config().replace("proto=http", "proto=https");
    lab.env.write_config(&text);
    let run = lab.env.run(&[
        "workers",
        "status",
        "pio02",
        "--via",
        "http",
        "--timeout",
        "3",
    ]);
    run.code(1);
    assert!(
        run.stderr.contains("proto=https") && !run.stderr.contains("refused"),
        "{}",
        run.stderr
    );
    // With --via auto, SSH carries it.
    let run = lab
        .env
        .run(&["--json", "workers", "status", "pio02", "--timeout", "3"]);
    let rows: serde_json::Value = serde_json::from_str(&run.ok().stdout).unwrap();
    assert_eq!(rows[0]["via"], "ssh", "{rows}");
}

#[test]
fn list_status_and_reboot_agree_on_where_the_leader_is() {
    let lab = lab(90, Web::Down);
    lab.trust_all();
    let leader_ip = lab.units[0].addr.clone();
    lab.env.write_config(&format!(
        "[cluster.topology]\nleader_hostname=leader1\nleader_address={leader_ip}\n\n\
         [cluster.inventory]\nleader1=1\npio02=1\n\n[cluster.addresses]\npio02={}\n",
        lab.units[1].addr
    ));
    let run = lab.env.run(&["--json", "workers", "list"]);
    let rows: serde_json::Value = serde_json::from_str(&run.ok().stdout).unwrap();
    assert_eq!(rows[0]["name"], "leader1");
    assert_eq!(rows[0]["address"], leader_ip.as_str(), "{rows}");
    assert_eq!(rows[0]["address_source"], "leader_address", "{rows}");
    assert_eq!(rows[1]["address_source"], "static", "{rows}");
    let run = lab.env.run(&[
        "--json",
        "workers",
        "status",
        "--via",
        "ssh",
        "--timeout",
        "5",
    ]);
    let rows: serde_json::Value = serde_json::from_str(&run.ok().stdout).unwrap();
    assert_eq!(rows[0]["name"], "leader1");
    assert_eq!(rows[0]["address"], leader_ip.as_str(), "{rows}");
    // reboot's plan names the address its reboot goes to.
    let run = lab
        .env
        .run(&["reboot", "leader1", "--dry-run", "--via", "ssh"]);
    assert!(
        run.ok()
            .stdout
            .starts_with(&format!("would reboot leader1 at {leader_ip}: ")),
        "{}",
        run.stdout
    );
    let run = lab.env.run(&["--json", "reboot", "leader1", "--dry-run"]);
    let plan: serde_json::Value = serde_json::from_str(&run.ok().stdout).unwrap();
    assert_eq!(plan["units"][0]["address"], leader_ip.as_str(), "{plan}");
    lab.env
        .run(&[
            "reboot",
            "leader1",
            "--yes",
            "--via",
            "ssh",
            "--timeout",
            "5",
        ])
        .ok();
    let asked: Vec<String> = lab
        .ssh_log()
        .into_iter()
        .filter(|(_, _, c)| c == "sudo reboot")
        .map(|(_, at, _)| at)
        .collect();
    assert_eq!(asked, [leader_ip]);
}

#[test]
fn status_of_a_unit_that_stalls_both_ports_ends_within_its_timeout() {
    let lab = lab(100, Web::Up);
    lab.trust_all();
    // pio09 accepts on both ports and never says a word.
    let addr = "127.0.1.109";
    hold_silently(vec![
        TcpListener::bind((addr, lab.ssh_port)).unwrap(),
        TcpListener::bind((addr, lab.web_port)).unwrap(),
    ]);
    let text = lab
        .env
        .read_config()
        .replace("pio02=1\n", "pio02=1\npio09=1\n")
        .replace("\n[ui]", &format!("pio09={addr}\n\n[ui]"));
    lab.env.write_config(&text);
    // HTTP and SSH share the unit's 2 s; before, each had its own.
    for args in [
        &["workers", "status", "pio09", "--timeout", "2"][..],
        &["reboot", "pio09", "--yes", "--timeout", "2"],
        &["workers", "set-active", "pio09", "0", "--timeout", "2"],
    ] {
        let ((run, took), _, start_up) = lab
            .env
            .timed(|| run_bounded(lab.env.command(args), Duration::from_secs(30)));
        run.code(1);
        // 2 s and 1.5 s, and what starting pio costs here now: under the 4 s of a timeout each.
        let bound = Duration::from_millis(3500) + start_up;
        assert!(took < bound, "{args:?} took {took:?} (bound {bound:?})");
    }
    // identify goes over SSH only: reaching the unit is bounded by --timeout too.
    let ((run, took), _, start_up) = lab.env.timed(|| {
        run_bounded(
            lab.env
                .command(&["identify", "pio09", "--timeout", "2", "--duration", "1"]),
            Duration::from_secs(30),
        )
    });
    run.code(1);
    let bound = Duration::from_millis(3500) + start_up;
    assert!(took < bound, "identify took {took:?} (bound {bound:?})");
}

/// Accepts connections on every listener and never says a word.
fn hold_silently(listeners: Vec<TcpListener>) {
    for l in listeners {
        std::thread::spawn(move || {
            let mut held = Vec::new();
            for s in l.incoming() {
                held.push(s);
            }
        });
    }
}

#[test]
fn add_to_a_unit_that_accepts_and_says_nothing_ends_within_its_timeout() {
    let lab = lab(140, Web::Down);
    // 127.0.1.149 accepts on the SSH port (a Pi still booting) and never greets.
    let addr = "127.0.1.149";
    hold_silently(vec![TcpListener::bind((addr, lab.ssh_port)).unwrap()]);
    let ((run, took), _, start_up) = lab.env.timed(|| {
        run_bounded(
            lab.env
                .command(&["workers", "add", "pio09", "-a", addr, "--timeout", "2"]),
            Duration::from_secs(30),
        )
    });
    run.code(1);
    assert!(
        run.stderr.contains("step 2/8") && run.stderr.contains("said nothing"),
        "{}",
        run.stderr
    );
    // An accepted connection is not an answer: no 15 s for logging in (the margin, 3 s and
    // what starting pio costs here now, is for a loaded machine).
    let bound = Duration::from_secs(5) + start_up;
    assert!(took < bound, "add took {took:?} (bound {bound:?})");
    assert!(
        run.stderr.contains("SSH server did not answer within 2 s"),
        "{}",
        run.stderr
    );
    assert!(!lab.env.read_config().contains("pio09"));
}

#[test]
fn the_password_prompt_is_not_drawn_over_by_the_spinner() {
    let lab = Lab::start(&["leader1", "newbie"], 110, &[Web::Down, Web::Down]);
    lab.write_config("leader1");
    // The image's default password is not this unit's: pio has to ask.
    let hash = Command::new("openssl")
        .args(["passwd", "-6", "not-the-default"])
        .output()
        .unwrap();
    let hash = String::from_utf8(hash.stdout).unwrap();
    let shadow = lab.state.join("etc/shadow");
    let text: String = fs::read_to_string(&shadow)
        .unwrap()
        .lines()
        .map(|l| match l.strip_prefix("pioreactor:") {
            Some(_) => format!("pioreactor:{}:19000:0:99999:7:::\n", hash.trim()),
            None => format!("{l}\n"),
        })
        .collect();
    fs::write(&shadow, text).unwrap();
    let screen = lab.env.on_terminal(
        &format!("workers add newbie -a {} --timeout 5", lab.units[1].addr),
        &[],
        "wrong\n",
    );
    let prompt = "Password for pioreactor@newbie: ";
    let at = screen
        .find(prompt)
        .unwrap_or_else(|| panic!("no prompt on the terminal:\n{screen}"));
    // The prompt starts a clean line...
    let before = &screen[..at];
    assert!(
        before.is_empty() || before.ends_with('\n') || before.ends_with("\r\u{1b}[2K"),
        "the prompt shares a line with the spinner: {:?}",
        &before[before.len().saturating_sub(90)..]
    );
    // ... and between it and the end of its line, nothing but the operator's (unechoed) typing.
    let rest = &screen[at + prompt.len()..];
    let line = &rest[..rest.find('\n').unwrap_or(rest.len())];
    assert!(
        !line.contains("logging in") && !line.contains('\u{1b}'),
        "the spinner drew over the prompt: {line:?}"
    );
}

#[test]
fn a_closed_stderr_mid_fan_out_leaves_no_unit_unasked() {
    let lab = Lab::start(
        &["leader1", "pio02", "pio03", "pio04", "pio05"],
        120,
        &[Web::Down; 5],
    );
    lab.write_config("leader1");
    lab.trust_all();
    // `pio reboot --all --yes 2>&1 | head -1`: nobody reads what pio says.
    let (reader, writer) = std::io::pipe().unwrap();
    drop(reader);
    let status = lab
        .env
        .command(&["reboot", "--all", "--yes", "--fanout", "1"])
        .stdout(writer.try_clone().unwrap())
        .stderr(writer)
        .status()
        .unwrap();
    // An exit code of pio's own: not a panic (101), nor death by a signal (an abort).
    assert!(matches!(status.code(), Some(c) if c != 101), "{status}");
    let asked = lab.asked("sudo reboot", "POST /unit_api/system/reboot");
    for unit in ["pio02", "pio03", "pio04", "pio05"] {
        assert!(asked.contains_key(unit), "{unit} was not asked: {asked:?}");
    }
}

#[test]
fn removing_a_worker_forgets_its_key_under_its_host_key_alias_too() {
    let lab = lab(130, Web::Down);
    let key = host_key(&lab);
    let own_file = lab.env.home().join(".ssh/lab_hosts");
    fs::write(
        &own_file,
        format!(
            "lab-pio02 {t} {k}\nlab-other {t} {k}\n",
            t = key.0,
            k = key.1
        ),
    )
    .unwrap();
    ssh_config(
        &lab,
        &format!(
            "Host {}\n    HostKeyAlias lab-pio02\n    UserKnownHostsFile ~/.ssh/lab_hosts\n",
            lab.units[1].addr
        ),
    );
    lab.env
        .run(&["workers", "remove", "pio02", "--offline"])
        .ok();
    assert_eq!(
        fs::read_to_string(&own_file).unwrap(),
        format!("lab-other {} {}\n", key.0, key.1)
    );
}

#[test]
fn known_hosts_is_read_once_per_run_however_many_units_and_lines() {
    let names = ["leader1", "pio02", "pio03", "pio04"];
    let lab = Lab::start(&names, 150, &[Web::Down; 4]);
    lab.write_config("leader1");
    let key = host_key(&lab);
    let port = lab.ssh_port;
    // Several lines per unit (its address, its .local name, another machine's key under an
    // unrelated name), hashed by OpenSSH itself.
    let other = other_key(&lab, "ed25519");
    let mut lines = Vec::new();
    for (i, u) in lab.units.iter().enumerate() {
        lab.authorize_leader(i);
        lines.push((format!("[{}]:{port}", u.addr), &key));
        lines.push((format!("[{}.local]:{port}", u.name), &key));
        lines.push((format!("elsewhere{i}.example"), &other));
    }
    let lines: Vec<(&str, &(String, String))> =
        lines.iter().map(|(h, k)| (h.as_str(), *k)).collect();
    file_keys(&lab, &lines);
    hash_known_hosts(&lab);
    let text = fs::read(known_hosts(&lab)).unwrap();
    assert!(text.starts_with(b"|1|"));

    // Every open of known_hosts, counted by strace: once per run, not per unit nor per line.
    // (This test used a FIFO written once; known_hosts as a FIFO is now refused outright.)
    let have_strace = Command::new("strace").arg("-V").output().is_ok();
    if !have_strace {
        common::cannot_run(
            "known_hosts read once",
            "no strace here (apt-get install strace)",
        );
        return;
    }
    let trace = lab.env.home().join("opens.trace");
    let pio = env!("CARGO_BIN_EXE_pio");
    let cmd = lab.env.command(&[
        "workers",
        "status",
        "--via",
        "ssh",
        "--timeout",
        "5",
        "--fanout",
        "4",
    ]);
    let args: Vec<std::ffi::OsString> = cmd.get_args().map(|a| a.to_os_string()).collect();
    let mut traced = Command::new("strace");
    traced
        .args(["-f", "-qq", "-e", "trace=openat,open", "-o"])
        .arg(&trace)
        .arg(pio)
        .args(&args);
    for (k, v) in cmd.get_envs() {
        match v {
            Some(v) => traced.env(k, v),
            None => traced.env_remove(k),
        };
    }
    if let Some(dir) = cmd.get_current_dir() {
        traced.current_dir(dir);
    }
    let (run, _) = run_bounded(traced, Duration::from_secs(40));
    run.ok();
    let path = known_hosts(&lab).display().to_string();
    let opens = fs::read_to_string(&trace)
        .unwrap()
        .lines()
        .filter(|l| l.contains(&format!("\"{path}\"")) && !l.contains("ENOENT"))
        .count();
    assert_eq!(opens, 1, "{path} opened {opens} times");
    // pio logged in everywhere, so it read the keys.
    assert_eq!(
        lab.ssh_commands()
            .iter()
            .filter(|c| *c == STATUS_COMMAND)
            .count(),
        names.len(),
        "{:?}",
        lab.ssh_commands()
    );
}

#[test]
fn global_known_hosts_vouch_for_a_unit_and_are_never_written() {
    let lab = lab(160, Web::Down);
    let key = host_key(&lab);
    let (ip, port) = (lab.units[1].addr.clone(), lab.ssh_port);
    let line = |host: &str, k: &(String, String)| format!("[{host}]:{port} {} {}\n", k.0, k.1);
    // The key is only in the global file (which stands in for /etc/ssh/ssh_known_hosts).
    let global = lab.env.global_known_hosts();
    fs::create_dir_all(global.parent().unwrap()).unwrap();
    fs::write(&global, line(&ip, &key)).unwrap();
    status_via_ssh(&lab, "pio02").ok();
    assert!(!known_hosts(&lab).exists(), "the global key was copied");

    // Another key of the same type there is a changed key, named with the global file's line.
    let ed = other_key(&lab, "ed25519");
    fs::write(&global, line(&ip, &ed)).unwrap();
    let run = status_via_ssh(&lab, "pio02");
    run.code(1);
    assert!(
        run.stderr.contains("HOST KEY CHANGED")
            && run.stderr.contains(&format!("{}:1", global.display())),
        "{}",
        run.stderr
    );

    // GlobalKnownHostsFile in ~/.ssh/config names the files read instead of the default.
    let own = lab.env.home().join("lab_global");
    fs::write(&own, line(&ip, &key)).unwrap();
    ssh_config(&lab, "Host *\n    GlobalKnownHostsFile ~/lab_global\n");
    let run = status_via_ssh(&lab, "pio02");
    run.ok();
    assert!(!run.stderr.contains("not honoured"), "{}", run.stderr);
    assert!(!known_hosts(&lab).exists());

    // A new key, where new keys are trusted, goes to the user's file, never the global one.
    let elsewhere = line("pio09.local", &ed);
    fs::write(&own, &elsewhere).unwrap();
    ssh_config(&lab, "Host *\n    StrictHostKeyChecking accept-new\n");
    status_via_ssh(&lab, "pio02").ok();
    assert_eq!(fs::read_to_string(&own).unwrap(), elsewhere);
    assert_eq!(fs::read_to_string(&global).unwrap(), line(&ip, &ed));
    let kept = fs::read_to_string(known_hosts(&lab)).unwrap();
    assert!(
        kept.contains(&format!("[{ip}]:{port} {} ", key.0)),
        "{kept}"
    );
}

#[test]
fn an_unreadable_known_hosts_file_is_skipped_but_never_lets_a_new_key_in() {
    let lab = lab(150, Web::Down);
    let key = host_key(&lab);
    let (ip, port) = (lab.units[1].addr.clone(), lab.ssh_port);
    // A global file that cannot be read (a folder: unreadable as a file even to root).
    let global = lab.env.global_known_hosts();
    fs::create_dir_all(&global).unwrap();

    // The user's file still vouches for the unit; the unread file is named.
    file_keys(&lab, &[(&format!("[{ip}]:{port}"), &key)]);
    let run = status_via_ssh(&lab, "pio02");
    run.ok();
    assert!(
        run.stderr.contains(&global.display().to_string()) && run.stderr.contains("not consulted"),
        "{}",
        run.stderr
    );

    // Where new keys are trusted (accept-new), a key the unread file might contradict is not.
    fs::write(known_hosts(&lab), "").unwrap();
    ssh_config(&lab, "Host *\n    StrictHostKeyChecking accept-new\n");
    let run = status_via_ssh(&lab, "pio02");
    run.code(1);
    assert!(run.stderr.contains("not consulted"), "{}", run.stderr);
    assert_eq!(
        fs::read_to_string(known_hosts(&lab)).unwrap(),
        "",
        "a key was stored"
    );
}

/// Every remote command against a unit that logs in and then never answers (no command output,
/// no SFTP): each ends within its stated bound, and no teardown waits on the unit.
#[test]
fn every_remote_command_ends_within_its_bound_on_a_unit_that_stalls_after_login() {
    let lab = lab(105, Web::Down);
    lab.trust_all();
    // A real archive (leader1's) for the restore, made before pio02 stalls.
    let archive = lab.env.dir.path().join("leader1.zip");
    let archive_arg = archive.display().to_string();
    lab.env.run(&["backup", "leader1", "-o", &archive_arg]).ok();
    std::fs::write(lab.unit_dir(1).join("hang"), "").unwrap();
    let slack = Duration::from_millis(1500);
    let secs = Duration::from_secs;
    let cases: [(&[&str], Duration); 17] = [
        // As `workers add`: --timeout, or 15 s after its SSH server greeted.
        (
            &[
                "workers",
                "replace",
                "pio02",
                &archive_arg,
                "--yes",
                "--timeout",
                "3",
            ],
            secs(15),
        ),
        (&["shutdown", "pio02", "--yes", "--timeout", "2"], secs(2)),
        (&["clock", "pio02", "--timeout", "2"], secs(2)),
        (&["repair", "pio02", "--timeout", "2"], secs(2)),
        (&["backup", "pio02", "--timeout", "2"], secs(2)),
        (
            &[
                "restore",
                "pio02",
                "/nonexistent.zip",
                "--yes",
                "--timeout",
                "2",
            ],
            secs(2),
        ),
        // Its release asked first, then the update: --timeout each.
        (
            &[
                "cluster",
                "update",
                "--yes",
                "--fanout",
                "1",
                "--timeout",
                "2",
            ],
            secs(4),
        ),
        (&["workers", "status", "pio02", "--timeout", "2"], secs(2)),
        (&["reboot", "pio02", "--yes", "--timeout", "2"], secs(2)),
        (
            &["workers", "set-active", "pio02", "0", "--timeout", "2"],
            secs(2),
        ),
        (
            &["workers", "sync-configs", "pio02", "--timeout", "2"],
            secs(2),
        ),
        (
            &["workers", "list", "--releases", "--timeout", "2"],
            secs(2),
        ),
        (
            &["workers", "remove", "pio02", "--timeout", "2", "--dry-run"],
            secs(2),
        ),
        (&["doctor", "pio02", "--timeout", "2"], secs(2)),
        // Reaching it within --timeout, then the blink's duration and 5 s more.
        (
            &["identify", "pio02", "--timeout", "2", "--duration", "1"],
            secs(8),
        ),
        // The whole rename, steps and waiting alike.
        (&["rename", "pio02", "pio09", "--timeout", "3"], secs(3)),
        // --timeout, or 15 s after its SSH server greeted if that is later.
        (&["workers", "add", "pio02", "--timeout", "3"], secs(15)),
    ];
    for (args, bound) in cases {
        let ((run, took), _, start_up) = lab
            .env
            .timed(|| run_bounded(lab.env.command(args), Duration::from_secs(60)));
        // The slack, and what starting pio costs here now: still short of a timeout more.
        assert!(
            took < bound + slack + start_up,
            "{args:?} took {took:?} (bound {bound:?}, start-up {start_up:?}): {}",
            run.stderr
        );
    }
    // The unit was never renamed: its config.ini line is where it was.
    assert!(lab.env.read_config().contains("pio02"));
}

/// SSH's own files are read as config.ini is: a FIFO or an endless Include is named in a
/// warning and skipped, never waited on nor read to the end.
#[test]
fn ssh_files_that_are_fifos_or_endless_are_skipped_with_a_warning() {
    let lab = lab(107, Web::Down);
    lab.trust_all();
    let ssh = lab.env.home().join(".ssh");
    std::fs::create_dir_all(&ssh).unwrap();
    let fifo = |path: &std::path::Path| {
        let _ = std::fs::remove_file(path);
        let c = std::ffi::CString::new(path.to_str().unwrap()).unwrap();
        assert_eq!(unsafe { libc::mkfifo(c.as_ptr(), 0o600) }, 0);
    };
    fifo(&ssh.join("config"));
    let ((run, took), _, start_up) = lab.env.timed(|| {
        run_bounded(
            lab.env
                .command(&["workers", "status", "pio02", "--timeout", "3"]),
            Duration::from_secs(30),
        )
    });
    let bound = Duration::from_secs(5) + start_up;
    assert!(took < bound, "{took:?} (bound {bound:?}): {}", run.stderr);
    assert!(run.stderr.contains("not a regular file"), "{}", run.stderr);
    // An Include of a file far larger than any SSH config stops at pio's budget.
    std::fs::remove_file(ssh.join("config")).unwrap();
    let big = ssh.join("big.conf");
    let line = "# filler filler filler filler filler filler filler filler filler\n";
    std::fs::write(&big, line.repeat((8 << 20) / line.len())).unwrap();
    std::fs::write(ssh.join("config"), "Include big.conf\n").unwrap();
    let (run, _) = run_bounded(
        lab.env
            .command(&["workers", "status", "pio02", "--timeout", "3"]),
        Duration::from_secs(30),
    );
    assert!(run.stderr.contains("larger than"), "{}", run.stderr);
}
