//! Writing config.ini safely where others can plant files: no write through a planted link, a
//! lock file that is not a file, a lock root created, a dangling link, a folder that is not there.

mod common;

use std::fs;
use std::os::unix::fs::{PermissionsExt, symlink};
use std::process::Command;

use common::Env;

const CONFIG: &str =
    "[cluster.topology]\nleader_hostname=leader1\n\n[cluster.inventory]\nleader1=1\n";

#[test]
fn a_planted_temporary_file_is_never_written_through() {
    let env = Env::new();
    let path = env.write_config(CONFIG);
    let victim = env.dir.path().join("victim");
    fs::write(&victim, "precious\n").unwrap();
    // The names an attacker could guess: the old fixed one, and this pid's.
    for name in [".config.ini.pio-tmp", ".config.ini.pio-tmp.1"] {
        symlink(&victim, path.with_file_name(name)).unwrap();
    }
    env.run(&["workers", "add", "pio02", "--offline"]).ok();
    assert_eq!(fs::read_to_string(&victim).unwrap(), "precious\n");
    assert!(env.read_config().contains("pio02=1"));
    assert!(fs::symlink_metadata(&path).unwrap().is_file());
}

#[test]
fn a_lock_file_that_is_not_a_file_is_refused_at_once() {
    let env = Env::new();
    let path = env.write_config(CONFIG);
    let lock = path.with_file_name(".config.ini.lock");
    assert!(
        Command::new("mkfifo")
            .arg(&lock)
            .status()
            .unwrap()
            .success()
    );
    let run = env.run(&["workers", "add", "pio02", "--offline"]);
    assert!(
        run.code(3).stderr.contains("not a regular file"),
        "{}",
        run.stderr
    );
    assert_eq!(env.read_config(), CONFIG);
}

#[test]
fn the_owner_can_lock_after_root_did() {
    if !common::as_root_with_nobody("the_owner_can_lock_after_root_did") {
        return;
    }
    let env = Env::new();
    fs::set_permissions(env.dir.path(), fs::Permissions::from_mode(0o755)).unwrap();
    let dir = env.dir.path().join("shared");
    fs::create_dir(&dir).unwrap();
    fs::set_permissions(&dir, fs::Permissions::from_mode(0o777)).unwrap();
    let path = dir.join("config.ini");
    fs::write(&path, CONFIG).unwrap();
    let config = path.display().to_string();
    assert!(
        Command::new("chown")
            .args(["65534:65534", &config])
            .status()
            .unwrap()
            .success()
    );
    // Root writes first (as a cron job might), then the file's owner.
    env.run(&["--config", &config, "workers", "add", "pio02", "--offline"])
        .ok();
    let pio = env!("CARGO_BIN_EXE_pio");
    let out = Command::new("setpriv")
        .args(["--reuid=65534", "--regid=65534", "--clear-groups", pio])
        .args(["--config", &config, "workers", "add", "pio03", "--offline"])
        .env_clear()
        .env("PIO_HOSTNAME", "leader1")
        .env("PIO_MDNS", "0")
        .env("PIO_INVENTORY", "config")
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert!(fs::read_to_string(&path).unwrap().contains("pio03=1"));
}

#[test]
fn a_dangling_link_or_a_missing_folder_is_exit_3_and_nothing_is_created() {
    let env = Env::new();
    let path = env.config();
    fs::create_dir_all(path.parent().unwrap()).unwrap();
    symlink(env.dir.path().join("gone.ini"), &path).unwrap();
    let run = env.run(&["workers", "add", "pio02", "--offline"]);
    assert!(
        run.code(3).stderr.contains("does not exist"),
        "{}",
        run.stderr
    );
    assert!(
        fs::symlink_metadata(&path)
            .unwrap()
            .file_type()
            .is_symlink()
    );
    assert!(!env.dir.path().join("gone.ini").exists());

    let missing = env.dir.path().join("no/such/folder/config.ini");
    let run = env.run(&[
        "--config",
        &missing.display().to_string(),
        "workers",
        "add",
        "pio02",
        "--offline",
    ]);
    assert!(
        run.code(3).stderr.contains("does not exist"),
        "{}",
        run.stderr
    );
    assert!(!env.dir.path().join("no").exists());
}
