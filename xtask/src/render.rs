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
        files.push((format!("completions/{name}"), with_unit_names(shell, buf)));
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
        let takes_value = takes_value(arg);
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

/// Whether an option is given a value (`--timeout SECS`), not set by being named.
fn takes_value(arg: &clap::Arg) -> bool {
    arg.get_num_args().is_some_and(|n| n.takes_values())
        && !matches!(
            arg.get_action(),
            clap::ArgAction::SetTrue
                | clap::ArgAction::SetFalse
                | clap::ArgAction::Count
                | clap::ArgAction::Help
                | clap::ArgAction::Version
        )
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

/// Where a command asks for units, from the clap tree: `(path as typed, position, kind)`, kind
/// `units` (from that position on), `unit` (that position) or `state` (1/0). Aliases included.
fn unit_positions(cmd: &clap::Command, path: &str, out: &mut Vec<(String, usize, &'static str)>) {
    let positionals = cmd.get_arguments().filter(|a| a.is_positional());
    for (i, arg) in positionals.enumerate() {
        let many = arg.get_num_args().is_some_and(|n| n.max_values() > 1);
        let kind = if arg.get_value_hint() == clap::ValueHint::Hostname {
            if many { "units" } else { "unit" }
        } else if arg
            .get_value_names()
            .is_some_and(|v| v.iter().any(|n| n == "1|0"))
        {
            "state"
        } else {
            continue;
        };
        out.push((path.to_string(), i, kind));
    }
    for sub in cmd.get_subcommands().filter(|s| !s.is_hide_set()) {
        let names = std::iter::once(sub.get_name()).chain(sub.get_visible_aliases());
        for name in names {
            let typed = if path.is_empty() {
                name.to_string()
            } else {
                format!("{path} {name}")
            };
            unit_positions(sub, &typed, out);
        }
    }
}

/// Options that take a value, as typed (`--timeout`, `-a`): their values are not positions.
fn value_options(cmd: &clap::Command, out: &mut std::collections::BTreeSet<String>) {
    for arg in cmd.get_arguments().filter(|a| !a.is_positional()) {
        if takes_value(arg) {
            out.extend(arg.get_long().map(|l| format!("--{l}")));
            out.extend(arg.get_short().map(|s| format!("-{s}")));
        }
    }
    for sub in cmd.get_subcommands() {
        value_options(sub, out);
    }
}

/// Unit names (`pio workers list --names`, this leader's inventory) and `1`/`0` where a command
/// asks for them, added to clap_complete's scripts: bash and fish by a table of positions, zsh
/// through the `_hosts` clap writes for a host name.
fn with_unit_names(shell: clap_complete::Shell, script: Vec<u8>) -> Vec<u8> {
    let script = String::from_utf8(script).expect("a script is text");
    let mut cmd = pio::cli::command();
    cmd.build();
    let mut positions = Vec::new();
    unit_positions(&cmd, "", &mut positions);
    let mut options = std::collections::BTreeSet::new();
    value_options(&cmd, &mut options);
    let table: Vec<String> = positions
        .iter()
        .map(|(path, i, kind)| format!("{path}|{i}|{kind}"))
        .collect();
    let options: Vec<String> = options.into_iter().collect();
    let out = match shell {
        clap_complete::Shell::Bash => {
            let hook = BASH_HOOK
                .replace("@TABLE@", &table.join("\n"))
                .replace("@OPTIONS@", &options.join(" "));
            script.replace("complete -F _pio ", "complete -F _pio_with_units ") + &hook
        }
        clap_complete::Shell::Zsh => script.replace(":_hosts'", ":_pio_units'").replacen(
            "autoload -U is-at-least\n",
            &format!("autoload -U is-at-least\n{ZSH_HOOK}"),
            1,
        ),
        clap_complete::Shell::Fish => {
            let quoted: Vec<String> = table.iter().map(|l| format!("'{l}'")).collect();
            let hook = FISH_HOOK
                .replace("@TABLE_LINES@", &quoted.join(" "))
                .replace("@OPTIONS@", &options.join(" "));
            script + &hook
        }
        _ => script,
    };
    out.into_bytes()
}

const BASH_HOOK: &str = r#"
# pio: unit names from this leader's inventory (`pio workers list --names`), and 1/0, where a
# command asks for them: (command as typed | position | units, unit or state).
_pio_unit_positions="@TABLE@"
_pio_value_options=" @OPTIONS@ "
_pio_with_units() {
    _pio "$@"
    local cur="${COMP_WORDS[COMP_CWORD]}" prev="${COMP_WORDS[COMP_CWORD-1]}"
    [[ $cur == -* ]] && return 0
    if [[ $prev == --units ]]; then
        COMPREPLY=( $(compgen -W "$(pio workers list --names 2>/dev/null)" -- "$cur") )
        return 0
    fi
    [[ $_pio_value_options == *" $prev "* ]] && return 0
    local -a plain=()
    local i w skip=0
    for (( i = 1; i < COMP_CWORD; i++ )); do
        w=${COMP_WORDS[i]}
        if (( skip )); then skip=0; continue; fi
        if [[ $w == -* ]]; then
            [[ $_pio_value_options == *" $w "* ]] && skip=1
            continue
        fi
        plain+=("$w")
    done
    local words="${plain[*]}" path index kind n
    local -a rest
    while IFS='|' read -r path index kind; do
        [[ "$words " == "$path "* ]] || continue
        read -ra rest <<< "${words#"$path"}"
        n=${#rest[@]}
        if [[ $kind == units ]]; then (( n >= index )) || continue; else (( n == index )) || continue; fi
        if [[ $kind == state ]]; then
            COMPREPLY=( $(compgen -W "1 0" -- "$cur") )
        else
            COMPREPLY=( $(compgen -W "$(pio workers list --names 2>/dev/null)" -- "$cur") )
        fi
        return 0
    done <<< "$_pio_unit_positions"
}
"#;

const ZSH_HOOK: &str = r#"
# pio: unit names from this leader's inventory (`pio workers list --names`).
(( $+functions[_pio_units] )) ||
_pio_units() {
    local -a units
    units=(${(f)"$(pio workers list --names 2>/dev/null)"})
    _describe -t units 'unit' units
}
"#;

const FISH_HOOK: &str = r#"
# pio: unit names from this leader's inventory (`pio workers list --names`), and 1/0, where a
# command asks for them: (command as typed | position | units, unit or state).
function __fish_pio_asks --argument-names want
    set -l options @OPTIONS@
    set -l words (commandline -opc)
    set -e words[1]
    set -l plain
    set -l skip 0
    for w in $words
        if test $skip = 1
            set skip 0
            continue
        end
        if string match -q -- '-*' $w
            contains -- $w $options; and set skip 1
            continue
        end
        set -a plain $w
    end
    set -l typed (string join ' ' $plain)
    for line in @TABLE_LINES@
        set -l f (string split '|' $line)
        set -l path $f[1]
        string match -q -- "$path" "$typed"; or string match -q -- "$path *" "$typed"; or continue
        set -l n (count (string split -n ' ' (string replace -- "$path" '' "$typed")))
        if test $f[3] = units
            test $n -ge $f[2]; or continue
        else
            test $n -eq $f[2]; or continue
        end
        if test $want = state
            test $f[3] = state; and return 0
        else
            test $f[3] != state; and return 0
        end
        return 1
    end
    return 1
end
complete -c pio -n '__fish_pio_asks unit' -f -a '(pio workers list --names 2>/dev/null)'
complete -c pio -n '__fish_pio_asks state' -f -a '1 0'
complete -c pio -l units -f -a '(pio workers list --names 2>/dev/null)'
"#;
