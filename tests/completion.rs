//! Shell completion of unit names and states, by calling the committed scripts (completions/)
//! in bash, zsh and fish against a cluster on disk: the names come from `pio workers list
//! --names`, so completion reads the inventory and pio itself stays as fast as it was.

use crate::common;

use std::path::Path;
use std::process::Command;

use common::{Env, cannot_run};

/// A cluster of leader1 (also a worker), pio02 and pio03, and `pio` on PATH.
fn cluster() -> (Env, String) {
    let env = Env::new();
    env.write_config(
        "[cluster.topology]\nleader_hostname=leader1\n\n[cluster.inventory]\nleader1=1\npio02=1\npio03=0\n",
    );
    let bin = Path::new(env!("CARGO_BIN_EXE_pio")).parent().unwrap();
    let path = format!("{}:/usr/bin:/bin", bin.display());
    (env, path)
}

/// Runs `script` in `shell` with the cluster's environment; its stdout.
fn run(shell: &str, args: &[&str], script: &str) -> Option<String> {
    let (env, path) = cluster();
    let found = Command::new("sh")
        .args(["-c", &format!("command -v {shell}")])
        .output()
        .is_ok_and(|o| o.status.success());
    if !found {
        cannot_run(
            &format!("{shell} completion"),
            &format!("no {shell} here (apt-get install {shell})"),
        );
        return None;
    }
    let out = Command::new(shell)
        .args(args)
        .arg(script)
        .env_clear()
        .env("HOME", env.home())
        .env("PATH", path)
        .env("PIO_HOSTNAME", common::HOSTNAME)
        .env("PIO_MDNS", "0")
        .env("PIO_INVENTORY", "config")
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{shell}: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    Some(String::from_utf8_lossy(&out.stdout).into_owned())
}

fn script(name: &str) -> String {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("completions")
        .join(name)
        .display()
        .to_string()
}

#[test]
fn bash_completes_unit_names_and_states_where_they_are_asked() {
    let t = format!(
        r#"source {}
t() {{ COMP_WORDS=("$@"); COMP_CWORD=$(( ${{#COMP_WORDS[@]}} - 1 )); COMPREPLY=()
  _pio_with_units pio "${{COMP_WORDS[COMP_CWORD]}}" "${{COMP_WORDS[COMP_CWORD-1]}}"
  echo "${{COMPREPLY[*]}}"; }}
t pio reboot p
t pio reboot pio02 ''
t pio workers set-active ''
t pio workers set-active pio02 ''
t pio reboot --units ''
t pio workers add ''
"#,
        script("pio.bash")
    );
    let Some(out) = run("bash", &["-c"], &t) else {
        return;
    };
    let lines: Vec<&str> = out.lines().collect();
    assert_eq!(lines[0], "pio02 pio03", "{out}");
    assert_eq!(lines[1], "leader1 pio02 pio03", "{out}");
    assert_eq!(lines[2], "leader1 pio02 pio03", "{out}");
    assert_eq!(lines[3], "1 0", "{out}");
    assert_eq!(lines[4], "leader1 pio02 pio03", "{out}");
    // A new worker's name is not one of the inventory's.
    assert!(!lines[5].contains("pio02"), "{out}");
}

#[test]
fn fish_completes_unit_names_and_states_where_they_are_asked() {
    let t = format!(
        "source {}; complete -C 'pio reboot p'; echo ==; complete -C 'pio workers set-active pio02 '; echo ==; complete -C 'pio rename '; echo ==; complete -C 'pio workers add '",
        script("pio.fish")
    );
    let Some(out) = run("fish", &["-c"], &t) else {
        return;
    };
    let parts: Vec<Vec<&str>> = out
        .split("==\n")
        .map(|p| p.lines().map(|l| l.split('\t').next().unwrap()).collect())
        .collect();
    assert_eq!(parts[0], ["pio02", "pio03"], "{out}");
    assert_eq!(parts[1], ["0", "1"], "{out}");
    assert_eq!(parts[2], ["leader1", "pio02", "pio03"], "{out}");
    assert!(!parts[3].contains(&"pio02"), "{out}");
}

#[test]
fn zsh_completes_unit_names_where_they_are_asked() {
    // The script's unit-name function, as _arguments calls it (its _describe stubbed to print
    // what it would offer), and the positions that call it.
    let t = format!(
        "autoload -U compinit; compinit -u -D; source {}; _describe() {{ print -l -- \"${{(@P)${{@[-1]}}}}\"; }}; _pio_units",
        script("_pio")
    );
    let Some(out) = run("zsh", &["-fc"], &t) else {
        return;
    };
    assert_eq!(
        out.lines().collect::<Vec<_>>(),
        ["leader1", "pio02", "pio03"]
    );
    let text = std::fs::read_to_string(script("_pio")).unwrap();
    for unit_arg in [
        "'*::units -- Units\\: names, comma lists or node sets like pio\\[01-08\\]:_pio_units'",
        "':hostname -- The worker'\\''s hostname:_pio_units'",
    ] {
        assert!(text.contains(unit_arg), "{unit_arg}");
    }
    assert!(text.contains("(1\\:\"active\"\n0\\:\"inactive\")"));
}
