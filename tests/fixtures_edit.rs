//! Real config.ini files from Pioreactor releases (and variants of them), edited by pio: Python's
//! configparser must see exactly the intended change, and no other line may change.

use crate::common;

use common::{Env, Ini, python_reads};
use std::fs;

const MODES: [&str; 2] = ["current", "legacy"];

fn read_both(env: &Env) -> [Ini; 2] {
    MODES.map(|m| python_reads(&env.config(), m).unwrap_or_else(|e| panic!("python ({m}): {e}")))
}

/// Applies `edit` to each parser's view of the file.
fn expect(before: &[Ini; 2], edit: impl Fn(&mut Ini, &str)) -> [Ini; 2] {
    let mut after = before.clone();
    for (ini, mode) in after.iter_mut().zip(MODES) {
        edit(ini, mode);
    }
    after
}

fn set(ini: &mut Ini, section: &str, key: &str, value: &str) {
    ini.entry(section.into())
        .or_default()
        .insert(key.into(), value.into());
}

/// The multiset of lines in `new` that are not in `old`, checking that `old` (line texts without
/// endings) is an ordered subsequence of `new`: nothing pio did not mean to touch moved or changed.
fn inserted_lines(old: &str, new: &str) -> Vec<String> {
    let mut old_lines = old.lines().peekable();
    let mut inserted = Vec::new();
    for line in new.lines() {
        if old_lines.peek() == Some(&line) {
            old_lines.next();
        } else {
            inserted.push(line.to_string());
        }
    }
    assert!(
        old_lines.next().is_none(),
        "a line of the original file is gone:\n--- old\n{old}\n--- new\n{new}"
    );
    inserted
}

/// Line endings and the final newline are as in the original.
fn assert_same_endings(old: &str, new: &str) {
    assert_eq!(
        old.ends_with('\n'),
        new.ends_with('\n'),
        "final newline changed"
    );
    let crlf = |s: &str| s.matches("\r\n").count() == s.matches('\n').count();
    assert_eq!(crlf(old), crlf(new), "line endings changed");
}

/// Lines that differ between two texts with the same number of lines.
fn changed_lines(old: &str, new: &str) -> Vec<(String, String)> {
    let (a, b): (Vec<_>, Vec<_>) = (old.lines().collect(), new.lines().collect());
    assert_eq!(a.len(), b.len(), "line count changed");
    a.iter()
        .zip(&b)
        .filter(|(x, y)| x != y)
        .map(|(x, y)| (x.to_string(), y.to_string()))
        .collect()
}

/// set-active on a unit nothing answers for (loopback addresses with no server, mDNS off): it
/// writes config.ini, then reports with exit code 1 what it could not do on the worker: copy the
/// new config.ini to it (not to the leader, whose copy is the source) and, making it inactive,
/// halt its jobs.
fn set_active(env: &Env, name: &str, value: &str) -> common::Run {
    let run = env.run(&["workers", "set-active", name, value]);
    if value == "0" {
        run.code(1);
        assert!(
            run.stderr.contains("halting its jobs failed"),
            "{}",
            run.stderr
        );
    }
    if run.code != 0 {
        run.code(1);
        assert!(
            run.stderr.contains("copying config.ini to it failed")
                || run.stderr.contains("halting its jobs failed"),
            "{}",
            run.stderr
        );
    }
    run
}

/// add, set-active 0, set-active 1, remove of a new worker, then a flip of an existing one.
fn edit_cycle(name: &str, original: &str) {
    let env = Env::new();
    env.write_config(original);
    let before = read_both(&env);
    let inventory = if before[0].contains_key("network.inventory")
        && !before[0].contains_key("cluster.inventory")
    {
        "network.inventory"
    } else {
        "cluster.inventory"
    };
    let had_sections =
        before[0].contains_key(inventory) && before[0].contains_key("cluster.addresses");

    // add
    env.run(&["workers", "add", "newunit", "-a", "127.0.9.3", "--offline"])
        .ok();
    let added = env.read_config();
    assert_eq!(
        read_both(&env),
        expect(&before, |ini, _| {
            set(ini, inventory, "newunit", "1");
            set(ini, "cluster.addresses", "newunit", "127.0.9.3");
        }),
        "{name}: add"
    );
    let mut inserted = inserted_lines(original, &added);
    inserted.retain(|l| !l.is_empty() && !l.starts_with('['));
    inserted.sort();
    assert_eq!(
        inserted,
        ["newunit=1", "newunit=127.0.9.3"],
        "{name}: add inserted other lines"
    );
    assert_same_endings(original, &added);

    // set-active 0 changes one line, and back restores the bytes
    let run = set_active(&env, "newunit", "0");
    assert!(
        run.stderr.contains("copying config.ini to it failed"),
        "{}",
        run.stderr
    );
    let inactive = env.read_config();
    assert_eq!(
        changed_lines(&added, &inactive),
        [("newunit=1".to_string(), "newunit=0".to_string())],
        "{name}"
    );
    assert_eq!(
        read_both(&env),
        expect(&before, |ini, _| {
            set(ini, inventory, "newunit", "0");
            set(ini, "cluster.addresses", "newunit", "127.0.9.3");
        }),
        "{name}: set-active 0"
    );
    let run = set_active(&env, "newunit", "1");
    assert!(
        run.stderr.contains("copying config.ini to it failed"),
        "{}",
        run.stderr
    );
    assert_eq!(
        env.read_config(),
        added,
        "{name}: set-active 1 did not restore the bytes"
    );

    // remove
    // (exit 1: the removed worker cannot be reached to receive the new config.ini)
    let run = env.run(&["workers", "remove", "newunit"]);
    run.code(1);
    assert!(
        run.stderr.contains("could not be copied to newunit"),
        "{}",
        run.stderr
    );
    let removed = env.read_config();
    if had_sections {
        assert_eq!(
            removed, original,
            "{name}: add then remove is not byte-identical"
        );
    } else {
        let mut extra = inserted_lines(original, &removed);
        extra.retain(|l| !l.is_empty());
        assert!(
            extra.iter().all(|l| l.starts_with('[')),
            "{name}: {extra:?}"
        );
    }
    let mut expected = before.clone();
    for ini in &mut expected {
        ini.entry(inventory.into()).or_default();
        ini.entry("cluster.addresses".into()).or_default();
    }
    assert_eq!(read_both(&env), expected, "{name}: remove");

    // flip an existing worker, whatever case its key is written in
    let existing: Option<(String, String)> = before[0]
        .get(inventory)
        .and_then(|inv| inv.iter().next())
        .map(|(k, v)| (k.clone(), v.clone()));
    if let Some((key, value)) = existing {
        let was_active = ["1", "yes", "true", "on"].contains(&value.to_ascii_lowercase().as_str());
        let target = if was_active { "0" } else { "1" };
        set_active(&env, &key.to_ascii_lowercase(), target);
        let flipped = env.read_config();
        let changes = changed_lines(&removed, &flipped);
        assert_eq!(changes.len(), 1, "{name}: {changes:?}");
        assert!(
            changes[0].1.starts_with(&key),
            "{name}: key case not kept: {changes:?}"
        );
        assert_eq!(
            read_both(&env),
            expect(&expected, |ini, mode| {
                let k = if mode == "legacy" {
                    key.to_ascii_lowercase()
                } else {
                    key.clone()
                };
                set(ini, inventory, &k, target);
            }),
            "{name}: flip existing"
        );
    }
}

fn fixture(name: &str) -> String {
    let path = common::fixtures()
        .into_iter()
        .find(|p| p.ends_with(name))
        .expect(name);
    read_fixture(&path)
}

/// The Pioreactor developers' 23.10 config.ini lists `testing_unit` and `localhost` as workers:
/// names no unit can have, which pio refuses (see `dev_fixture_as_shipped_is_refused`). The edit
/// tests give them hostnames; every other byte is the shipped file's.
fn read_fixture(path: &std::path::Path) -> String {
    fs::read_to_string(path).unwrap().replace(
        "\ntesting_unit=1\nlocalhost=1\n",
        "\ntesting-unit=1\ndevbox=1\n",
    )
}

#[test]
fn dev_fixture_as_shipped_lists_its_odd_lines_and_takes_edits() {
    // Pioreactor's development config names `testing_unit` and leads from `localhost`: neither is
    // a hostname pio can reach, and only what would reach them fails.
    let env = Env::new();
    let path = common::fixtures()
        .into_iter()
        .find(|p| p.ends_with("config.dev-23.10.12.ini"))
        .unwrap();
    let text = fs::read_to_string(path).unwrap();
    env.write_config(&text);
    let named = |stderr: &str| {
        stderr.contains(
            "config.ini:80: [cluster.inventory] lists 'testing_unit', which is not a valid unit name",
        ) && stderr.contains("Did you mean 'testing-unit'?")
            && stderr.contains("config.ini:81: [cluster.inventory] lists 'localhost'")
    };
    let run = env.run(&["workers", "list"]);
    run.code(0);
    assert!(named(&run.stderr), "{}", run.stderr);
    assert!(run.stdout.contains("pioreactor2"), "{}", run.stdout);
    assert_eq!(env.read_config(), text);
    let run = env.run(&["reboot", "--all", "--dry-run"]);
    run.code(2);
    assert!(named(&run.stderr), "{}", run.stderr);
    assert_eq!(env.read_config(), text);
    // An edit of another unit goes ahead, and Python reads exactly that change.
    let before = read_both(&env);
    let run = env.run(&["workers", "add", "pio-bar1", "-a", "10.0.0.7", "--offline"]);
    run.ok();
    assert!(named(&run.stderr), "{}", run.stderr);
    assert_eq!(
        read_both(&env),
        expect(&before, |ini, _| {
            set(ini, "cluster.inventory", "pio-bar1", "1");
            set(ini, "cluster.addresses", "pio-bar1", "10.0.0.7");
        })
    );
}

#[test]
fn every_shipped_fixture() {
    for path in common::fixtures() {
        edit_cycle(&path.display().to_string(), &read_fixture(&path));
    }
}

#[test]
fn crlf_variant() {
    for path in common::fixtures() {
        let text = read_fixture(&path).replace('\n', "\r\n");
        edit_cycle(&format!("{} (CRLF)", path.display()), &text);
    }
}

#[test]
fn no_final_newline_variant() {
    for path in common::fixtures() {
        let text = read_fixture(&path);
        edit_cycle(
            &format!("{} (no final newline)", path.display()),
            text.trim_end_matches('\n'),
        );
    }
}

#[test]
fn colon_delimited_variant() {
    let text: String = fixture("config.dev-23.10.12.ini")
        .lines()
        .map(|l| {
            let is_key = !l.starts_with(['#', ';', '[']) && l.contains('=');
            if is_key {
                format!("{}\n", l.replacen('=', " : ", 1))
            } else {
                format!("{l}\n")
            }
        })
        .collect();
    assert!(text.contains("pioreactor3 : 0\n"));
    edit_cycle("colon-delimited", &text);
}

#[test]
fn continuation_line_variant() {
    let text = fixture("config.dev-23.10.12.ini").replace(
        "leader_address=localhost\n",
        "leader_address=localhost\nnotes = the leader is the Pi\n    by the door,\n\n    labelled L\n",
    );
    let env = Env::new();
    env.write_config(&text);
    assert_eq!(
        python_reads(&env.config(), "current").unwrap()["cluster.topology"]["notes"],
        "the leader is the Pi\nby the door,\n\nlabelled L"
    );
    edit_cycle("continuation lines", &text);
}

#[test]
fn mixed_case_variant() {
    let text = fixture("config.dev-23.10.12.ini")
        .replace("pioreactor2=1", "PioReactor2=1")
        .replace("pioreactor3=0", "PIOREACTOR3 = 0");
    edit_cycle("mixed case", &text);
    let env = Env::new();
    env.write_config(&text);
    set_active(&env, "pioreactor3", "1").code(1);
    assert!(env.read_config().contains("\nPIOREACTOR3 = 1\n"));
    env.run(&["workers", "remove", "pioreactor2"]).code(1);
    assert!(!env.read_config().to_lowercase().contains("pioreactor2"));
}

#[test]
fn utf8_text_survives() {
    let text = fixture("config.example-26.ini").replace(
        "[cluster.addresses]\n",
        "[cluster.addresses]\n# ↑ leader above, µ-lab workers below ✓\n",
    );
    edit_cycle("utf-8", &text);
}
