//! completions/ and man/ are committed; they must be what the code generates now.
//! To refresh them: cargo run -- generate-docs .

use std::collections::BTreeMap;
use std::fs;
use std::path::Path;

fn files_under(root: &Path, dirs: &[&str]) -> BTreeMap<String, Vec<u8>> {
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
    let tmp = tempfile::tempdir().unwrap();
    let status = std::process::Command::new(env!("CARGO_BIN_EXE_pio"))
        .args(["generate-docs"])
        .arg(tmp.path())
        .status()
        .unwrap();
    assert!(status.success());
    let fresh = files_under(tmp.path(), &["completions", "man"]);
    let committed = files_under(
        Path::new(env!("CARGO_MANIFEST_DIR")),
        &["completions", "man"],
    );
    assert!(
        fresh.contains_key("completions/pio.bash") && fresh.contains_key("man/pio-workers-add.1")
    );
    assert_eq!(
        fresh.keys().collect::<Vec<_>>(),
        committed.keys().collect::<Vec<_>>(),
        "the set of files differs: run `cargo run -- generate-docs .` and commit"
    );
    for (name, content) in &fresh {
        assert!(
            committed[name] == *content,
            "{name} is stale: run `cargo run -- generate-docs .` and commit"
        );
    }
}
