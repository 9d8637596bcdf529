//! Issue 11: edits Python's configparser did not read as pio meant, each reproduced with the
//! binary (as reported) and checked against Python (the 23.x stack's strict, lower-casing reader
//! and the 26.x stack's case-keeping one).

use crate::common;

use common::{Env, Ini, python_reads};
use std::collections::BTreeMap;

/// pio in the config.ini era, never probing a web API.
fn pio(env: &Env, args: &[&str]) -> common::Run {
    env.run_with(args, &[("PIO_INVENTORY", "config")])
}

/// `{section: {key: value}}` from `(section, &[(key, value)])`.
fn ini(sections: &[(&str, &[(&str, &str)])]) -> Ini {
    sections
        .iter()
        .map(|(s, kv)| {
            let keys: BTreeMap<String, String> = kv
                .iter()
                .map(|(k, v)| (k.to_string(), v.to_string()))
                .collect();
            (s.to_string(), keys)
        })
        .collect()
}

/// What both Python readers see; `legacy` differs from `current` only by lower-cased keys.
#[track_caller]
fn python_sees(env: &Env, current: &Ini, legacy: &Ini) {
    let text = env.read_config();
    for (mode, want) in [("current", current), ("legacy", legacy)] {
        let got = python_reads(&env.config(), mode)
            .unwrap_or_else(|e| panic!("python ({mode}) refuses {text:?}: {e}"));
        assert_eq!(&got, want, "python ({mode}) reading {text:?}");
    }
}

#[test]
fn issue_11_1_new_key_does_not_swallow_an_indented_header() {
    let env = Env::new();
    env.write_config("[cluster.inventory]\n   [cluster.addresses]\n");
    pio(&env, &["workers", "add", "w", "--offline"]).ok();
    let want = ini(&[
        ("cluster.inventory", &[("w", "1")]),
        ("cluster.addresses", &[]),
    ]);
    python_sees(&env, &want, &want);
    assert_eq!(
        env.read_config(),
        "[cluster.inventory]\n   w=1\n   [cluster.addresses]\n"
    );

    // Used to panic (exit 134): the address line made the inventory header part of its value.
    let env = Env::new();
    env.write_config("[cluster.addresses]\n [cluster.inventory]\n");
    pio(
        &env,
        &["workers", "add", "w", "--offline", "-a", "10.0.0.2"],
    )
    .ok();
    let want = ini(&[
        ("cluster.addresses", &[("w", "10.0.0.2")]),
        ("cluster.inventory", &[("w", "1")]),
    ]);
    python_sees(&env, &want, &want);
}

#[test]
fn issue_11_2_indentation_is_counted_in_characters() {
    let env = Env::new();
    let text = "[cluster.inventory]\n  pio57=1\n\u{2028} pio34=0\n";
    env.write_config(text);
    pio(&env, &["workers", "set-active", "pio34", "1", "--offline"]).ok();
    let want = ini(&[("cluster.inventory", &[("pio57", "1"), ("pio34", "1")])]);
    python_sees(&env, &want, &want);
    assert_eq!(env.read_config(), text.replace("pio34=0", "pio34=1"));

    // A no-break space is one character: the indented header is part of x's value to Python, so
    // there is no inventory yet, and pio must not write into [PWM].
    let env = Env::new();
    env.write_config("[PWM]\n\u{a0}x=1\n  [cluster.inventory]\n");
    pio(&env, &["workers", "add", "w", "--offline"]).ok();
    let want = ini(&[
        ("PWM", &[("x", "1\n[cluster.inventory]")]),
        ("cluster.inventory", &[("w", "1")]),
    ]);
    python_sees(&env, &want, &want);
}

#[test]
fn issue_11_3_ascii_separators_are_white_space() {
    let env = Env::new();
    env.write_config("[cluster.inventory]\n  \x1e x-1:1\n    pio18 = no\n");
    pio(&env, &["workers", "set-active", "pio18", "1", "--offline"]).ok();
    let want = ini(&[("cluster.inventory", &[("x-1", "1"), ("pio18", "1")])]);
    python_sees(&env, &want, &want);
    assert_eq!(
        env.read_config(),
        "[cluster.inventory]\n  \x1e x-1:1\n    pio18 = 1\n"
    );
}

#[test]
fn issue_11_4_a_lone_cr_ends_a_line() {
    let env = Env::new();
    env.write_config("[cluster.inventory]\r    w1 = 1\n");
    pio(&env, &["workers", "set-active", "w1", "0", "--offline"]).ok();
    assert_eq!(env.read_config(), "[cluster.inventory]\r    w1 = 0\n");

    // One [cluster.addresses], and the lone-CR line keeps its ending.
    let env = Env::new();
    env.write_config("[cluster.addresses]\r# note\n");
    pio(
        &env,
        &["workers", "add", "w", "--offline", "-a", "10.0.0.2"],
    )
    .ok();
    let text = env.read_config();
    assert!(
        text.starts_with("[cluster.addresses]\r# note\n"),
        "{text:?}"
    );
    assert_eq!(text.matches("[cluster.addresses]").count(), 1, "{text:?}");
    let want = ini(&[
        ("cluster.addresses", &[("w", "10.0.0.2")]),
        ("cluster.inventory", &[("w", "1")]),
    ]);
    python_sees(&env, &want, &want);
}

#[test]
fn issue_11_5_line_endings_do_not_drift() {
    let env = Env::new();
    env.write_config("[cluster.inventory]\r\npio70=0");
    pio(&env, &["workers", "remove", "pio70", "--offline"]).ok();
    assert_eq!(env.read_config(), "[cluster.inventory]\r\n");
    pio(&env, &["workers", "add", "x", "--offline"]).ok();
    assert_eq!(env.read_config(), "[cluster.inventory]\r\nx=1\r\n");

    // New lines take their neighbours' ending; a file without a final newline keeps lacking one.
    let env = Env::new();
    env.write_config("[cluster.topology]\nleader_hostname=leader1\n[cluster.inventory]\r\na=1");
    pio(&env, &["workers", "add", "b", "--offline"]).ok();
    assert_eq!(
        env.read_config(),
        "[cluster.topology]\nleader_hostname=leader1\n[cluster.inventory]\r\na=1\r\nb=1"
    );
}

#[test]
fn issue_11_6_keys_compare_as_python_lowercases_them() {
    // KELVIN SIGN: Python's str.lower reads it as `k`, so `\u{212a}io` is kio.
    let env = Env::new();
    let text = "[cluster.inventory]\n\u{212a}io=1\n";
    env.write_config(text);
    pio(&env, &["workers", "add", "kio", "--offline"]).ok();
    assert_eq!(env.read_config(), text, "kio is already there, active");
    pio(&env, &["workers", "add", "kio", "--offline", "--inactive"]).ok();
    assert_eq!(env.read_config(), "[cluster.inventory]\n\u{212a}io=0\n");
    pio(&env, &["workers", "set-active", "KIO", "1", "--offline"]).ok();
    python_sees(
        &env,
        &ini(&[("cluster.inventory", &[("\u{212a}io", "1")])]),
        &ini(&[("cluster.inventory", &[("kio", "1")])]),
    );
    pio(&env, &["workers", "remove", "kio", "--offline"]).ok();
    let want = ini(&[("cluster.inventory", &[])]);
    python_sees(&env, &want, &want);

    // Two spellings Python lower-cases alike are one unit: flagged, and neither line is edited,
    // as the strict reader refuses the file.
    let env = Env::new();
    let text = "[cluster.inventory]\n\u{212a}io=1\nkio=0\n";
    env.write_config(text);
    let run = pio(&env, &["workers", "list"]);
    run.code(0);
    assert!(run.stderr.contains(":3:"), "{}", run.stderr);
    let run = pio(&env, &["workers", "set-active", "kio", "0", "--offline"]);
    run.code(2);
    assert!(run.stderr.contains(":3:"), "{}", run.stderr);
    assert_eq!(env.read_config(), text);
}
