//! Completions and man pages, rendered from the clap definitions in pio's `cli.rs` and committed
//! at the top of the repository (`completions/`, `man/`). Shared by `cargo xtask docs`, which
//! writes them, and tests/docs.rs, which checks the committed ones are current.

use clap_complete::Shell;

/// Every generated file: its path below the output folder, and its content.
pub fn render() -> Vec<(String, Vec<u8>)> {
    let mut files = Vec::new();
    for shell in [
        Shell::Bash,
        Shell::Zsh,
        Shell::Fish,
        Shell::Elvish,
        Shell::PowerShell,
    ] {
        let mut buf = Vec::new();
        clap_complete::generate(shell, &mut pio::cli::command(), "pio", &mut buf);
        let name = match shell {
            Shell::Bash => "pio.bash".to_string(),
            Shell::Zsh => "_pio".to_string(),
            Shell::Fish => "pio.fish".to_string(),
            Shell::Elvish => "pio.elv".to_string(),
            _ => "_pio.ps1".to_string(),
        };
        files.push((format!("completions/{name}"), buf));
    }
    let mut cmd = pio::cli::command();
    cmd.build();
    man_pages(&cmd, "pio", &mut files);
    files
}

/// A page for the command and one for each visible subcommand, named like git's (`pio-workers-add.1`).
fn man_pages(cmd: &clap::Command, name: &str, files: &mut Vec<(String, Vec<u8>)>) {
    let mut buf = Vec::new();
    clap_mangen::Man::new(cmd.clone().name(name.to_string()))
        .render(&mut buf)
        .expect("rendering to memory does not fail");
    files.push((format!("man/{name}.1"), buf));
    for sub in cmd
        .get_subcommands()
        .filter(|s| !s.is_hide_set() && s.get_name() != "help")
    {
        man_pages(sub, &format!("{name}-{}", sub.get_name()), files);
    }
}
