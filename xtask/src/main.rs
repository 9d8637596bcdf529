//! `cargo xtask docs [DIR]`: writes completions/ and man/ (default: the repository's top folder).

mod render;

use std::path::PathBuf;
use std::process::ExitCode;

fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let out = match args.as_slice() {
        [task] if task == "docs" => PathBuf::from(env!("CARGO_MANIFEST_DIR")).join(".."),
        [task, dir] if task == "docs" => PathBuf::from(dir),
        _ => {
            eprintln!("usage: cargo xtask docs [DIR]   (writes DIR/completions and DIR/man)");
            return ExitCode::from(2);
        }
    };
    for (rel, content) in render::render() {
        let path = out.join(&rel);
        let written =
            std::fs::create_dir_all(path.parent().expect("generated paths have a folder"))
                .and_then(|()| std::fs::write(&path, &content));
        if let Err(e) = written {
            eprintln!("cannot write {}: {e}", path.display());
            return ExitCode::FAILURE;
        }
    }
    eprintln!("wrote completions/ and man/ in {}", out.display());
    ExitCode::SUCCESS
}
