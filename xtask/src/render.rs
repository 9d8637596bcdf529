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
    // No `help` subcommands in the pages: `pio help X` is `man pio-X`, and pio-help(1) would be a
    // page that does not exist.
    let mut cmd = without_help(pio::cli::command());
    cmd.build();
    man_pages(&cmd, ("pio", "pio"), None, &mut files);
    files
}

fn without_help(cmd: clap::Command) -> clap::Command {
    cmd.disable_help_subcommand(true)
        .mut_subcommands(without_help)
}

/// A page for the command and one for each visible subcommand, named like git's (`pio-workers-add.1`).
fn man_pages(
    cmd: &clap::Command,
    (name, typed): (&str, &str),
    parent: Option<&str>,
    files: &mut Vec<(String, Vec<u8>)>,
) {
    let subs: Vec<&clap::Command> = cmd
        .get_subcommands()
        .filter(|s| !s.is_hide_set() && s.get_name() != "help")
        .collect();
    files.push((
        format!("man/{name}.1"),
        man_page(cmd, (name, typed), parent, &subs),
    ));
    for sub in subs {
        man_pages(
            sub,
            (
                &format!("{name}-{}", sub.get_name()),
                &format!("{typed} {}", sub.get_name()),
            ),
            Some(name),
            files,
        );
    }
}

/// One page: clap_mangen's sections (its "EXTRA", the command's examples and notes, as
/// EXAMPLES), then EXIT STATUS, ENVIRONMENT and SEE ALSO (pages that exist: the parent's and the
/// subcommands').
fn man_page(
    cmd: &clap::Command,
    (name, typed): (&str, &str),
    parent: Option<&str>,
    subs: &[&clap::Command],
) -> Vec<u8> {
    let cmd = cmd.clone().name(name.to_string());
    let man = clap_mangen::Man::new(cmd.clone());
    let mut buf = Vec::new();
    let ok = "rendering to memory does not fail";
    man.render_title(&mut buf).expect(ok);
    man.render_name_section(&mut buf).expect(ok);
    buf.extend(synopsis(&cmd, typed).bytes());
    man.render_description_section(&mut buf).expect(ok);
    if cmd.get_arguments().any(|a| !a.is_hide_set()) {
        man.render_options_section(&mut buf).expect(ok);
    }
    if !subs.is_empty() {
        man.render_subcommands_section(&mut buf).expect(ok);
    }
    if cmd.get_after_help().is_some() || cmd.get_after_long_help().is_some() {
        let mut extra = Vec::new();
        man.render_extra_section(&mut extra).expect(ok);
        let extra = String::from_utf8(extra).expect("roff is text");
        buf.extend(extra.replacen(".SH EXTRA", ".SH EXAMPLES", 1).bytes());
    }
    let mut roff = String::from(".SH \"EXIT STATUS\"\n");
    for (code, meaning) in pio::error::EXIT_CODES {
        roff.push_str(&format!(".TP\n\\fB{code}\\fR\n{}\n", escape(meaning)));
    }
    roff.push_str(".SH ENVIRONMENT\n");
    for (var, meaning) in pio::context::ENVIRONMENT {
        roff.push_str(&format!(
            ".TP\n\\fB{}\\fR\n{}\n",
            escape(var),
            escape(meaning)
        ));
    }
    let mut see_also: Vec<String> = Vec::new();
    if let Some(parent) = parent {
        see_also.push(format!("\\fB{}\\fR(1)", escape(parent)));
    }
    for sub in subs {
        see_also.push(format!(
            "\\fB{}\\fR(1)",
            escape(&format!("{name}-{}", sub.get_name()))
        ));
    }
    if !see_also.is_empty() {
        roff.push_str(&format!(".SH \"SEE ALSO\"\n{}\n", see_also.join(", ")));
    }
    buf.extend(roff.bytes());
    man.render_version_section(&mut buf).expect(ok);
    buf
}

/// SYNOPSIS with each option's value name (clap_mangen's names the options only): `[--timeout
/// SECS]`, `[-y|--yes]`, `[UNITS]...`; the command's own options before the global ones.
fn synopsis(cmd: &clap::Command, typed: &str) -> String {
    let bold = |t: &str| format!("\\fB{}\\fR", escape(t));
    let italic = |t: &str| format!("\\fI{}\\fR", escape(t));
    let mut parts = vec![bold(typed)];
    let args: Vec<&clap::Arg> = cmd.get_arguments().filter(|a| !a.is_hide_set()).collect();
    let (globals, own): (Vec<&clap::Arg>, Vec<&clap::Arg>) =
        args.iter().partition(|a| a.is_global_set());
    for arg in own.iter().chain(&globals).filter(|a| !a.is_positional()) {
        let mut names = Vec::new();
        if let Some(c) = arg.get_short() {
            names.push(bold(&format!("-{c}")));
        }
        if let Some(l) = arg.get_long() {
            names.push(bold(&format!("--{l}")));
        }
        let takes_value = arg.get_num_args().is_some_and(|n| n.takes_values())
            && !matches!(
                arg.get_action(),
                clap::ArgAction::SetTrue
                    | clap::ArgAction::SetFalse
                    | clap::ArgAction::Count
                    | clap::ArgAction::Help
                    | clap::ArgAction::Version
            );
        let value = match (takes_value, arg.get_value_names()) {
            (true, Some(v)) => format!(" {}", italic(v[0].as_str())),
            (true, None) => format!(" {}", italic(&arg.get_id().as_str().to_uppercase())),
            _ => String::new(),
        };
        parts.push(format!("[{}{value}]", names.join("|")));
    }
    for arg in own.iter().filter(|a| a.is_positional()) {
        let name = arg
            .get_value_names()
            .and_then(|v| v.first().map(|n| n.to_string()))
            .unwrap_or_else(|| arg.get_id().as_str().to_uppercase());
        let many = arg.get_num_args().is_some_and(|n| n.max_values() > 1);
        let dots = if many { "..." } else { "" };
        parts.push(if arg.is_required_set() {
            format!("{}{dots}", italic(&name))
        } else {
            format!("[{}]{dots}", italic(&name))
        });
    }
    if cmd.has_subcommands() {
        parts.push(italic("COMMAND"));
    }
    format!(".SH SYNOPSIS\n{}\n", parts.join(" "))
}

/// Text as roff reads it literally: backslashes doubled, a leading `.` or `'` guarded.
fn escape(text: &str) -> String {
    let text = text.replace('\\', "\\\\").replace('-', "\\-");
    if text.starts_with('.') || text.starts_with('\'') {
        format!("\\&{text}")
    } else {
        text
    }
}
