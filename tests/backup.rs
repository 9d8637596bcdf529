//! `pio backup` and `pio restore` against the lab's units: over SSH (the shim runs pio's backup
//! and restore scripts for real, each unit's folder being its home), and over HTTP against a
//! real Pioreactor 26.11.1 web app.

use crate::common;

use std::fs;
use std::os::unix::fs::PermissionsExt;
use std::path::Path;
use std::process::Command;

use common::lab::{Lab, Web};
use serde_json::Value;

/// leader1, pio02 and pio05, over SSH only (no web API answers).
fn lab(base: u8) -> Lab {
    let lab = Lab::start(
        &["leader1", "pio02", "pio05"],
        base,
        &[Web::Down, Web::Down, Web::Down],
    );
    let a = |i: usize| lab.units[i].addr.clone();
    lab.env.write_config(&format!(
        "[cluster.topology]\nleader_hostname=leader1\n\n[cluster.inventory]\nleader1=1\npio02=1\npio05=1\n\n[cluster.addresses]\nleader1={}\npio02={}\npio05={}\n",
        a(0),
        a(1),
        a(2)
    ));
    lab.trust_all();
    lab
}

/// A `~/.pioreactor` with a bit of everything: text, binary, nested and empty folders, a
/// private file, a live SQLite database in WAL mode, and a link out of it.
fn populate(dot: &Path) {
    fs::create_dir_all(dot.join("storage")).unwrap();
    fs::create_dir_all(dot.join("calibrations/od")).unwrap();
    fs::create_dir_all(dot.join("plugins")).unwrap();
    fs::write(
        dot.join("config.ini"),
        "[cluster.topology]\nleader_hostname=leader1\n",
    )
    .unwrap();
    fs::write(
        dot.join("unit_config.ini"),
        "[stirring.config]\ntarget_rpm=555\n",
    )
    .unwrap();
    let binary: Vec<u8> = (0..70_000u32).map(|i| (i * 7 % 251) as u8).collect();
    fs::write(dot.join("calibrations/od/cal.bin"), binary).unwrap();
    fs::write(dot.join("secret"), "token\n").unwrap();
    fs::set_permissions(dot.join("secret"), fs::Permissions::from_mode(0o600)).unwrap();
    std::os::unix::fs::symlink("/etc/hostname", dot.join("escape")).unwrap();
    let db = dot.join("storage/local_persistent_pioreactor_metadata.sqlite");
    python(
        "import sqlite3,sys\nc=sqlite3.connect(sys.argv[1])\nc.execute('pragma journal_mode=wal')\n\
         c.execute('create table t(x)')\nc.executemany('insert into t values (?)',[(i,) for i in range(500)])\nc.commit()",
        &db,
    );
    Command::new("chmod")
        .args(["-R", "a+rwX"])
        .arg(dot)
        .status()
        .unwrap();
}

/// Runs a Python script on `path`: its stdout, or a failed test with what it printed.
fn python(script: &str, path: &Path) -> String {
    let out = Command::new("python3")
        .args(["-c", script])
        .arg(path)
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8_lossy(&out.stdout).into_owned()
}

/// Every file under `dir` (links as links), with its bytes and mode, databases by their rows.
fn snapshot(dir: &Path) -> Vec<(String, String)> {
    let mut out = Vec::new();
    let mut stack = vec![dir.to_path_buf()];
    while let Some(d) = stack.pop() {
        for e in fs::read_dir(&d).unwrap().flatten() {
            let p = e.path();
            let rel = p.strip_prefix(dir).unwrap().display().to_string();
            let meta = fs::symlink_metadata(&p).unwrap();
            if meta.is_dir() {
                out.push((rel, "dir".into()));
                stack.push(p);
            } else if meta.file_type().is_symlink() {
                out.push((rel, "link".into()));
            } else if rel.ends_with(".sqlite") {
                // A database that cannot be read fails the test: its rows are what is compared.
                let rows = python(
                    "import sqlite3,sys\nprint(sqlite3.connect(sys.argv[1]).execute('select count(*),sum(x) from t').fetchone())",
                    &p,
                );
                out.push((rel, rows));
            } else if !rel.ends_with("-wal") && !rel.ends_with("-shm") {
                let mode = meta.permissions().mode() & 0o777;
                out.push((rel, format!("{mode:o} {:?}", fs::read(&p).unwrap())));
            }
        }
    }
    out.sort();
    out
}

fn commands(lab: &Lab, unit: usize) -> Vec<String> {
    lab.ssh_log()
        .into_iter()
        .filter(|(_, a, _)| *a == lab.units[unit].addr)
        .map(|(_, _, c)| c.lines().next().unwrap_or_default().to_string())
        .collect()
}

#[test]
fn a_backup_over_ssh_restored_onto_another_unit_reproduces_its_files() {
    let lab = lab(100);
    let (from, to) = (
        lab.unit_dir(1).join(".pioreactor"),
        lab.unit_dir(2).join(".pioreactor"),
    );
    populate(&from);
    fs::write(to.join("old"), "pio05's own\n").unwrap();
    let zip = lab.env.dir.path().join("pio02.zip");
    let zip_arg = zip.to_str().unwrap();

    let run = lab.env.run(&["backup", "pio02", "-o", zip_arg, "--json"]);
    run.ok();
    let doc: Value = serde_json::from_str(&run.stdout).unwrap();
    assert_eq!(doc["ok"], true, "{doc}");
    assert_eq!(doc["archive_unit"], "pio02", "{doc}");
    assert_eq!(doc["steps"][0]["via"], "ssh", "{doc}");
    assert!(
        run.stderr
            .contains("left out (a link out of ~/.pioreactor): escape"),
        "{}",
        run.stderr
    );
    assert_eq!(
        fs::metadata(&zip).unwrap().permissions().mode() & 0o777,
        0o600
    );
    // Never replaced.
    lab.env.run(&["backup", "pio02", "-o", zip_arg]).code(2);

    // pio02's archive is not pio05's: refused, nothing sent.
    let before = lab.ssh_log().len();
    let run = lab.env.run(&["restore", "pio05", zip_arg, "--yes"]);
    run.code(2);
    assert!(
        run.stderr.contains("an archive of pio02, not of pio05"),
        "{}",
        run.stderr
    );
    assert_eq!(lab.ssh_log().len(), before);

    let run = lab.env.run(&[
        "restore",
        "pio05",
        zip_arg,
        "--other-unit",
        "--yes",
        "--json",
    ]);
    run.ok();
    let doc: Value = serde_json::from_str(&run.stdout).unwrap();
    let steps: Vec<&str> = doc["steps"]
        .as_array()
        .unwrap()
        .iter()
        .map(|s| s["step"].as_str().unwrap())
        .collect();
    assert_eq!(steps, ["halt", "restore", "reboot"], "{doc}");
    let sent = commands(&lab, 2);
    let at = |c: &str| {
        sent.iter()
            .position(|s| s.starts_with(c))
            .unwrap_or_else(|| panic!("{c}: {sent:?}"))
    };
    assert!(at("pio kill --all-jobs") < at("python3 -c '# pio restore"));
    assert!(at("python3 -c '# pio restore") < at("sudo reboot"));

    let mut want = snapshot(&from);
    want.retain(|(p, _)| p != "escape");
    assert_eq!(snapshot(&to), want);
    // pio05's own files are kept beside, and the uploaded archive is gone.
    let kept: Vec<String> = fs::read_dir(lab.unit_dir(2))
        .unwrap()
        .flatten()
        .map(|e| e.file_name().to_string_lossy().into_owned())
        .filter(|n| n.starts_with(".pioreactor.") || n.starts_with(".pio-restore"))
        .collect();
    assert_eq!(kept.len(), 1, "{kept:?}");
    assert!(
        kept[0].starts_with(".pioreactor.before-restore-"),
        "{kept:?}"
    );
    assert!(lab.unit_dir(2).join(&kept[0]).join("old").exists());
}

#[test]
fn a_hostile_archive_is_refused_before_anything_is_sent() {
    let lab = lab(103);
    let dir = lab.env.dir.path();
    let cases = [
        ("dotdot.zip", "zipfile.ZipInfo('../../outside')", "`..`"),
        (
            "absolute.zip",
            "zipfile.ZipInfo('/tmp/outside')",
            "absolute",
        ),
        (
            "link.zip",
            "(lambda i: (setattr(i,'create_system',3), setattr(i,'external_attr',0o120777<<16), i)[2])(zipfile.ZipInfo('storage'))",
            "a link",
        ),
    ];
    for (file, info, why) in cases {
        let path = dir.join(file);
        let script = format!(
            "import json,sys,zipfile\nz=zipfile.ZipFile(sys.argv[1],'w')\nz.writestr('pioreactor_export_metadata.json',json.dumps({{'name':'pio02'}}))\nz.writestr({info},'x')\nz.close()"
        );
        python(&script, &path);
        let before = lab.ssh_log().len();
        let run = lab.env.run(&[
            "restore",
            "pio02",
            path.to_str().unwrap(),
            "--yes",
            "--other-unit",
        ]);
        run.code(2);
        assert!(run.stderr.contains(why), "{file}: {}", run.stderr);
        assert_eq!(lab.ssh_log().len(), before, "{file}: something was sent");
    }
    // Not a zip at all; a FIFO is never read.
    fs::write(dir.join("junk.zip"), "hello").unwrap();
    lab.env
        .run(&[
            "restore",
            "pio02",
            dir.join("junk.zip").to_str().unwrap(),
            "--yes",
        ])
        .code(2);
}

#[test]
fn dry_runs_check_and_plan_but_send_nothing() {
    let lab = lab(106);
    populate(&lab.unit_dir(1).join(".pioreactor"));
    let zip = lab.env.dir.path().join("b.zip");
    let run = lab.env.run(&[
        "backup",
        "pio02",
        "-o",
        zip.to_str().unwrap(),
        "--dry-run",
        "--json",
    ]);
    run.ok();
    let doc: Value = serde_json::from_str(&run.stdout).unwrap();
    assert_eq!(doc["dry_run"], true);
    assert!(doc["route"].as_str().unwrap().starts_with("ssh"), "{doc}");
    assert!(!zip.exists());
    // The leader's is always over SSH: its web API copies the live database file.
    let run = lab.env.run(&["backup", "leader1", "--dry-run"]);
    run.ok();
    assert!(
        run.stdout
            .contains("the leader's web API copies its live database file"),
        "{}",
        run.stdout
    );

    lab.env
        .run(&["backup", "pio02", "-o", zip.to_str().unwrap()])
        .ok();
    let before: Vec<_> = lab
        .ssh_log()
        .into_iter()
        .filter(|(_, _, c)| !c.starts_with("hostname") && c != "pio version")
        .collect();
    let run = lab.env.run(&[
        "restore",
        "pio02",
        zip.to_str().unwrap(),
        "--dry-run",
        "--json",
    ]);
    run.ok();
    let doc: Value = serde_json::from_str(&run.stdout).unwrap();
    assert_eq!(doc["archive_unit"], "pio02");
    assert_eq!(doc["steps"], serde_json::json!([]));
    let after: Vec<_> = lab
        .ssh_log()
        .into_iter()
        .filter(|(_, _, c)| !c.starts_with("hostname") && c != "pio version")
        .collect();
    assert_eq!(before, after);
    // Without a terminal and without --yes: exit 5, nothing sent.
    lab.env
        .run(&["restore", "pio02", zip.to_str().unwrap()])
        .code(5);
}

/// A real 26.11.1 unit's own web app: its export is the backup (it names the unit), and its
/// import takes the archive back (and refuses one of another unit, which pio then sends over SSH).
#[test]
fn a_real_26_11_unit_is_backed_up_and_restored_through_its_own_web_app() {
    const TEST: &str = "a_real_26_11_unit_is_backed_up_and_restored_through_its_own_web_app";
    let lab = Lab::start(&["leader1", "w2611"], 109, &[Web::Down; 2]);
    lab.trust_all();
    let config = include_str!("support/releases/config.ini")
        .replace("UI_PORT", &lab.web_port.to_string())
        .replace(
            "[cluster.addresses]\n",
            &format!("[cluster.addresses]\nw2611={}\n", lab.units[1].addr),
        )
        .replace("leader1=1\n", "leader1=1\nw2611=1\n");
    lab.env.write_config(&config);
    if !lab.run_release(1, "26.11.1", &config, TEST) {
        return;
    }
    fs::write(
        lab.unit_dir(1).join(".pioreactor/unit_config.ini"),
        "[x]\ny=1\n",
    )
    .unwrap();
    let _web = lab.serve_release_web(1);
    let zip = lab.env.dir.path().join("w.zip");
    let run = lab.env.run_with(
        &["backup", "w2611", "-o", zip.to_str().unwrap(), "--json"],
        &[("PIO_INVENTORY", "config")],
    );
    run.ok();
    let doc: Value = serde_json::from_str(&run.stdout).unwrap();
    assert_eq!(doc["steps"][0]["via"], "http", "{doc}");
    assert_eq!(doc["archive_unit"], "w2611", "{doc}");

    let run = lab.env.run_with(
        &["restore", "w2611", zip.to_str().unwrap(), "--yes", "--json"],
        &[("PIO_INVENTORY", "config")],
    );
    let doc: Value = serde_json::from_str(&run.stdout).unwrap_or_default();
    assert_eq!(doc["steps"][1]["via"], "http", "{doc}\n{}", run.stderr);
    assert_eq!(doc["ok"], true, "{doc}\n{}", run.stderr);
    let steps = doc["steps"].as_array().unwrap().len();
    assert_eq!(steps, 2, "the unit reboots itself: {doc}");
}

#[test]
fn a_reflashed_worker_is_replaced_from_its_backup() {
    let lab = lab(135);
    let dot = lab.unit_dir(1).join(".pioreactor");
    fs::create_dir_all(&dot).unwrap();
    fs::write(
        dot.join("unit_config.ini"),
        "[stirring.config]\ntarget_rpm=555\n",
    )
    .unwrap();
    fs::write(dot.join("notes.txt"), "pio02's own\n").unwrap();
    let archive = lab.env.dir.path().join("pio02.zip");
    let archive_arg = archive.display().to_string();
    lab.env.run(&["backup", "pio02", "-o", &archive_arg]).ok();
    let before = snapshot(&dot);

    // The card is re-flashed: a new host key (known_hosts still has the old card's), no key of
    // this leader's, and a fresh ~/.pioreactor.
    let known = lab.env.home().join(".ssh/known_hosts");
    let old_card = lab.env.dir.path().join("old_card");
    let made = Command::new("ssh-keygen")
        .args(["-q", "-t", "ed25519", "-N", "", "-f"])
        .arg(&old_card)
        .status()
        .unwrap();
    assert!(made.success());
    let old_key = fs::read_to_string(old_card.with_extension("pub")).unwrap();
    let mut fields = old_key.split_whitespace();
    let stale = format!(
        "[{}]:{} {} {}\n",
        lab.units[1].addr,
        lab.ssh_port,
        fields.next().unwrap(),
        fields.next().unwrap()
    );
    let trusted = fs::read_to_string(&known).unwrap();
    let others: String = trusted
        .lines()
        .filter(|l| !l.starts_with(&format!("[{}]", lab.units[1].addr)))
        .map(|l| format!("{l}\n"))
        .collect();
    fs::write(&known, format!("{others}{stale}")).unwrap();
    fs::remove_file(lab.unit_dir(1).join(".ssh/authorized_keys")).unwrap();
    fs::remove_dir_all(&dot).unwrap();
    fs::create_dir_all(&dot).unwrap();

    // A plain add stops at the changed host key; replace forgets it first.
    let run = lab.env.run(&["workers", "add", "pio02", "--no-reboot"]);
    assert_ne!(run.code, 0, "{}", run.stderr);
    let run = lab
        .env
        .run(&["workers", "replace", "pio02", &archive_arg, "--dry-run"]);
    run.ok();
    assert!(
        run.stderr.contains("Would forget pio02's host keys"),
        "{}",
        run.stderr
    );
    let run = lab
        .env
        .run(&["workers", "replace", "pio02", &archive_arg, "--yes"]);
    run.ok();
    let leader_key = fs::read_to_string(lab.env.home().join(".ssh/id_ed25519.pub")).unwrap();
    assert_eq!(
        fs::read_to_string(lab.unit_dir(1).join(".ssh/authorized_keys")).unwrap(),
        leader_key
    );
    assert_eq!(snapshot(&dot), before);
    let known_now = fs::read_to_string(&known).unwrap();
    assert!(!known_now.contains(stale.trim()), "{known_now}");
    let sent = commands(&lab, 1);
    let halt = sent
        .iter()
        .position(|c| c.starts_with("pio kill"))
        .expect("halted");
    let reboot = sent
        .iter()
        .rposition(|c| c == "sudo reboot")
        .expect("rebooted");
    assert!(halt < reboot, "{sent:?}");
    // An archive of another unit is refused before anything is done.
    let run = lab
        .env
        .run(&["workers", "replace", "pio05", &archive_arg, "--yes"]);
    run.code(2);
    // So is a unit that is not a worker.
    lab.env
        .run(&["workers", "replace", "leader1", &archive_arg, "--yes"])
        .code(2);
}
