//! completions/ and man/ are committed; they must be what the code generates now.
//! To refresh them: cargo xtask docs

#[path = "../xtask/src/render.rs"]
mod render;

use std::collections::BTreeMap;
use std::fs;
use std::path::Path;

fn committed(root: &Path, dirs: &[&str]) -> BTreeMap<String, Vec<u8>> {
    let mut out = BTreeMap::new();
    for dir in dirs {
        let Ok(entries) = fs::read_dir(root.join(dir)) else {
            continue;
        };
        for e in entries {
            let e = e.unwrap();
            out.insert(
                format!("{dir}/{}", e.file_name().to_string_lossy()),
                fs::read(e.path()).unwrap(),
            );
        }
    }
    out
}

#[test]
fn committed_completions_and_man_pages_are_current() {
    let fresh: BTreeMap<String, Vec<u8>> = render::render().into_iter().collect();
    let committed = committed(
        Path::new(env!("CARGO_MANIFEST_DIR")),
        &["completions", "man"],
    );
    assert!(
        fresh.contains_key("completions/pio.bash") && fresh.contains_key("man/pio-workers-add.1")
    );
    assert_eq!(
        fresh.keys().collect::<Vec<_>>(),
        committed.keys().collect::<Vec<_>>(),
        "the set of files differs: run `cargo xtask docs` and commit"
    );
    for (name, content) in &fresh {
        assert!(
            committed[name] == *content,
            "{name} is stale: run `cargo xtask docs` and commit"
        );
    }
}

/// Doc generation lives in xtask: the shipped binary has no command for it.
#[test]
fn the_shipped_binary_has_no_doc_generator() {
    let out = std::process::Command::new(env!("CARGO_BIN_EXE_pio"))
        .args(["generate-docs", "/nonexistent"])
        .env("PIO_PYTHON_CLI", "/nonexistent/pio")
        .output()
        .unwrap();
    assert!(!out.status.success());
    assert!(
        !Path::new("/nonexistent/completions").exists(),
        "generate-docs wrote files"
    );
}

#[test]
fn man_pages_have_exit_status_environment_and_see_also_naming_pages_that_exist() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let pages: Vec<String> = fs::read_dir(root.join("man"))
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    for page in &pages {
        let text = fs::read_to_string(root.join("man").join(page)).unwrap();
        for section in [".SH \"EXIT STATUS\"", ".SH ENVIRONMENT", ".SH NAME"] {
            assert!(text.contains(section), "{page}: no {section}");
        }
        assert!(!text.contains(".SH EXTRA"), "{page}");
        assert!(
            text.contains("GLOBAL_CONFIG") && text.contains("NO_COLOR"),
            "{page}"
        );
        // Every page named (`name(1)`, in SUBCOMMANDS and SEE ALSO) is one of these.
        let parts: Vec<&str> = text.split("(1)").collect();
        let named = parts[..parts.len() - 1].iter().map(|before| {
            let plain = before
                .replace("\\fR", "")
                .replace("\\fB", " ")
                .replace("\\-", "-");
            let start = plain
                .rfind(|c: char| !(c.is_ascii_alphanumeric() || c == '-'))
                .map_or(0, |i| i + 1);
            plain[start..].to_string()
        });
        for name in named.filter(|n| n.starts_with("pio")) {
            assert!(
                pages.contains(&format!("{name}.1")),
                "{page} names {name}(1)"
            );
        }
    }
}

#[test]
fn man_page_synopses_name_each_options_value() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let synopsis = |page: &str| {
        let text = fs::read_to_string(root.join("man").join(page)).unwrap();
        let start = text.find(".SH SYNOPSIS\n").expect("a SYNOPSIS") + 13;
        let line = text[start..].lines().next().unwrap().to_string();
        line.replace("\\fB", "")
            .replace("\\fI", "")
            .replace("\\fR", "")
            .replace("\\-", "-")
    };
    let reboot = synopsis("pio-reboot.1");
    for want in [
        "pio reboot [",
        "[--timeout SECS]",
        "[--fanout N]",
        "[-y|--yes]",
        "[--config PATH]",
        "[UNITS]...",
    ] {
        assert!(reboot.contains(want), "{want}: {reboot}");
    }
    let set_active = synopsis("pio-workers-set-active.1");
    assert!(
        set_active.starts_with("pio workers set-active ") && set_active.ends_with("HOSTNAME 1|0"),
        "{set_active}"
    );
}
