//! Everything pio prints: data on stdout, narration and errors on stderr, tables, JSON, colour.

pub mod progress;
pub mod schema;
pub mod table;

use std::borrow::Cow;
use std::io::{self, Write};

use serde::Serialize;

use crate::cluster::{Change, Flaw, Flaws, Reach, Worker};
use crate::context::Context;
use crate::error::Error;

/// `n` and `word`, plural when `n` is not 1: "1 unit", "2 units".
pub fn count(n: usize, word: &str) -> String {
    if n == 1 {
        format!("1 {word}")
    } else {
        format!("{n} {word}s")
    }
}

/// Writes data to stdout through a buffer. A closed pipe (`pio workers list | head -1`) is not an
/// error: the reader has what it wanted.
pub fn data_with(write: impl FnOnce(&mut dyn Write) -> io::Result<()>) -> io::Result<()> {
    let mut out = io::BufWriter::with_capacity(16 * 1024, io::stdout().lock());
    match write(&mut out).and_then(|()| out.flush()) {
        Err(e) if e.kind() == io::ErrorKind::BrokenPipe => Ok(()),
        other => other,
    }
}

/// Text on stdout, its control characters escaped ([`escape_controls`]).
pub fn data(text: &str) -> io::Result<()> {
    data_with(|out| out.write_all(escape_controls(text).as_bytes()))
}

/// Pretty JSON on stdout, streamed (an inventory can be long). Exact: every string decodes to
/// what pio read; DEL and C1 controls, which serde_json writes raw, are `\u` escapes too.
pub fn json_data(value: &impl Serialize) -> io::Result<()> {
    data_with(|out| {
        let mut ser = serde_json::Serializer::with_formatter(&mut *out, SafeJson::default());
        // An io::Error keeps its kind (a closed pipe stays one), so JSON ends as quietly as text.
        value.serialize(&mut ser).map_err(io::Error::from)?;
        out.write_all(b"\n")
    })
}

/// serde_json's pretty formatter, writing every control character as a `\u` escape (serde_json
/// escapes those below U+0020 itself, not DEL or U+0080-U+009F).
#[derive(Default)]
struct SafeJson(serde_json::ser::PrettyFormatter<'static>);

impl serde_json::ser::Formatter for SafeJson {
    fn write_string_fragment<W: ?Sized + Write>(
        &mut self,
        writer: &mut W,
        fragment: &str,
    ) -> io::Result<()> {
        let mut start = 0;
        for (i, c) in fragment.char_indices() {
            if c.is_control() {
                writer.write_all(&fragment.as_bytes()[start..i])?;
                write!(writer, "\\u{:04x}", u32::from(c))?;
                start = i + c.len_utf8();
            }
        }
        writer.write_all(&fragment.as_bytes()[start..])
    }
    fn begin_array<W: ?Sized + Write>(&mut self, w: &mut W) -> io::Result<()> {
        self.0.begin_array(w)
    }
    fn end_array<W: ?Sized + Write>(&mut self, w: &mut W) -> io::Result<()> {
        self.0.end_array(w)
    }
    fn begin_array_value<W: ?Sized + Write>(&mut self, w: &mut W, first: bool) -> io::Result<()> {
        self.0.begin_array_value(w, first)
    }
    fn end_array_value<W: ?Sized + Write>(&mut self, w: &mut W) -> io::Result<()> {
        self.0.end_array_value(w)
    }
    fn begin_object<W: ?Sized + Write>(&mut self, w: &mut W) -> io::Result<()> {
        self.0.begin_object(w)
    }
    fn end_object<W: ?Sized + Write>(&mut self, w: &mut W) -> io::Result<()> {
        self.0.end_object(w)
    }
    fn begin_object_key<W: ?Sized + Write>(&mut self, w: &mut W, first: bool) -> io::Result<()> {
        self.0.begin_object_key(w, first)
    }
    fn begin_object_value<W: ?Sized + Write>(&mut self, w: &mut W) -> io::Result<()> {
        self.0.begin_object_value(w)
    }
    fn end_object_value<W: ?Sized + Write>(&mut self, w: &mut W) -> io::Result<()> {
        self.0.end_object_value(w)
    }
}

pub use crate::text::{escape_controls, escape_line};

/// `text` wrapped at `width` columns, continued lines indented by `indent`: breaks fall between
/// words, never inside a `backticked command`, which a copy from the terminal must get whole
/// (one longer than the line gets a line of its own).
pub fn wrap_keeping_commands(text: &str, width: usize, indent: &str) -> String {
    // Words, with each backticked span one word.
    let mut words: Vec<String> = Vec::new();
    let mut in_command = false;
    for piece in text.split(' ') {
        match words.last_mut() {
            Some(last) if in_command => {
                last.push(' ');
                last.push_str(piece);
            }
            _ => words.push(piece.to_string()),
        }
        if piece.matches('`').count() % 2 == 1 {
            in_command = !in_command;
        }
    }
    let mut out = String::new();
    let mut line_len = 0;
    for word in words {
        let len = word.chars().count();
        if line_len > 0 && line_len + 1 + len > width {
            out.push('\n');
            out.push_str(indent);
            line_len = indent.chars().count();
        } else if line_len > 0 {
            out.push(' ');
            line_len += 1;
        }
        out.push_str(&word);
        line_len += len;
    }
    out
}

/// Writes to stderr with control characters escaped, ignoring a closed stderr (narration to
/// `pio reboot --all 2>&1 | head -1` must not stop an operation midway). The crate's
/// `eprintln!` and `eprint!` come here.
pub fn stderr_text(text: &str) {
    stderr_raw(&escape_controls(text));
}

/// Writes to stderr as is: for pio's own colours around text already escaped.
fn stderr_raw(text: &str) {
    let _ = io::stderr().write_all(text.as_bytes());
}

/// Asks a yes/no question on the terminal (callers check there is one). Anything but y/yes is no.
pub fn confirm(question: &str) -> io::Result<bool> {
    eprint!("{question} [y/N] ");
    io::stderr().flush()?;
    let mut answer = String::new();
    io::stdin().read_line(&mut answer)?;
    Ok(matches!(
        answer.trim().to_ascii_lowercase().as_str(),
        "y" | "yes"
    ))
}

/// Reads a line from the terminal without echoing it (for a password).
pub fn prompt_secret(prompt: &str) -> io::Result<String> {
    eprint!("{prompt}");
    io::stderr().flush()?;
    let fd = libc::STDIN_FILENO;
    // SAFETY: termios is plain data; tcgetattr fills it for a terminal fd (the caller checked
    // stdin is a terminal) and the original settings are restored before returning.
    let mut term: libc::termios = unsafe { std::mem::zeroed() };
    if unsafe { libc::tcgetattr(fd, &mut term) } != 0 {
        return Err(io::Error::last_os_error());
    }
    let original = term;
    term.c_lflag &= !libc::ECHO;
    unsafe { libc::tcsetattr(fd, libc::TCSANOW, &term) };
    let mut line = String::new();
    let read = io::stdin().read_line(&mut line);
    unsafe { libc::tcsetattr(fd, libc::TCSANOW, &original) };
    eprintln!();
    read?;
    Ok(line.trim_end_matches(['\n', '\r']).to_string())
}

/// Narration on stderr, silenced by `--quiet`.
pub struct Narrator {
    quiet: bool,
    verbose: bool,
    color: bool,
}

impl Narrator {
    pub fn new(ctx: &Context) -> Narrator {
        Narrator {
            quiet: ctx.quiet,
            verbose: ctx.verbose,
            color: ctx.color_stderr,
        }
    }

    pub fn say(&self, msg: &str) {
        if self.quiet {
        } else if self.color && msg.contains(": FAILED") {
            let msg = escape_controls(msg).replacen(
                ": FAILED",
                &format!(": {}", paint(true, RED, "FAILED")),
                1,
            );
            stderr_raw(&format!("{msg}\n"));
        } else {
            eprintln!("{msg}");
        }
    }

    pub fn detail(&self, msg: &str) {
        if self.verbose {
            eprintln!("{msg}");
        }
    }

    pub fn warn(&self, msg: &str) {
        if !self.quiet {
            let msg = escape_controls(msg);
            stderr_raw(&format!(
                "{}: {msg}\n",
                paint(self.color, YELLOW, "warning")
            ));
        }
    }
}

/// The palette, one for every table and message: good green, attention yellow, bad red, quiet
/// grey (SGR codes).
pub const GREEN: &str = "32";
pub const YELLOW: &str = "33";
pub const RED: &str = "31";
pub const GREY: &str = "90";

/// The colour of a table cell by its column and value: doctor's verdicts, status's reachable,
/// list's active.
pub fn cell_colour(column: &str, value: &str) -> Option<&'static str> {
    match (column.to_ascii_lowercase().as_str(), value) {
        ("verdict", "ok") | ("reachable" | "active", "yes") | ("clock", "ok") => Some(GREEN),
        ("verdict", "warn") => Some(YELLOW),
        ("verdict", "fail") | ("reachable", "no") | ("clock", "beyond" | "unread") => Some(RED),
        ("active", "no") => Some(GREY),
        _ => None,
    }
}

pub fn paint(on: bool, code: &str, text: &str) -> String {
    if on {
        format!("\x1b[{code}m{text}\x1b[0m")
    } else {
        text.to_string()
    }
}

/// An `error: ...` line on stderr, for a command that reports a failure itself (a list of units)
/// before returning `Error::reported`: the same look as [`error`].
pub fn error_line(ctx: &Context, msg: &str) {
    let msg = escape_controls(msg);
    stderr_raw(&format!(
        "{}: {msg}\n",
        paint(ctx.color_stderr, "1;31", "error")
    ));
}

/// Prints an error and its hint on stderr.
pub fn error(err: &Error, color: bool) {
    if err.already_reported {
        return;
    }
    let message = escape_controls(&err.message);
    stderr_raw(&format!("{}: {message}\n", paint(color, "1;31", "error")));
    if let Some(hint) = &err.hint {
        let hint = escape_controls(hint);
        stderr_raw(&format!("  {}: {hint}\n", paint(color, "36", "hint")));
    }
}

/// One row of `workers list`, also its JSON object.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct WorkerRow<'a> {
    pub name: &'a str,
    pub active: bool,
    /// Where the unit is reached (`[cluster.addresses]`, `leader_address`, or mDNS).
    pub reach: Reach<'a>,
    pub leader: bool,
    /// The database era's model and experiment assignment (none in the config.ini era).
    pub model_name: Option<&'a str>,
    pub model_version: Option<&'a str>,
    pub experiment: Option<&'a str>,
    /// The unit's release, where `list --releases` learnt it.
    pub release: Option<&'a str>,
    /// What is wrong with its lines of config.ini, if anything.
    pub flaws: Flaws,
}

impl<'a> WorkerRow<'a> {
    /// The row of worker `w`, in a cluster led by `leader` (reached at `leader_address`, if set).
    pub fn new(leader: &str, leader_address: Option<&'a str>, w: &Worker<'a>) -> WorkerRow<'a> {
        WorkerRow {
            name: w.name,
            active: w.active,
            reach: Reach::of_unit(w.name, w.address, leader, leader_address),
            leader: crate::cluster::name::same(leader, w.name),
            model_name: None,
            model_version: None,
            experiment: None,
            release: None,
            flaws: w.flaws,
        }
    }

    /// The state for tables: `yes`, `no`, or `?` where config.ini's line cannot be read.
    pub fn active_word(&self) -> &'static str {
        if self.flaws.has(Flaw::Name) || self.flaws.has(Flaw::State) {
            "?"
        } else if self.active {
            "yes"
        } else {
            "no"
        }
    }

    /// The address for tables: `?` where config.ini's address line cannot be used.
    pub fn address_shown(&self) -> Cow<'a, str> {
        if self.unreachable() {
            Cow::Borrowed("?")
        } else {
            self.address()
        }
    }

    /// Whether config.ini gives no usable name or address for it.
    fn unreachable(&self) -> bool {
        self.flaws.has(Flaw::Name) || self.flaws.has(Flaw::Address)
    }

    /// Where the unit is reached: its written address, else `<name>.local` (mDNS).
    pub fn address(&self) -> Cow<'a, str> {
        match self.reach {
            Reach::Static(a) | Reach::LeaderAddress(a) => Cow::Borrowed(a),
            Reach::Mdns => Cow::Owned(self.reach.host(self.name)),
        }
    }

    /// The model as one word for tables: `name version`, or empty.
    pub fn model(&self) -> String {
        match (self.model_name, self.model_version) {
            (Some(n), Some(v)) => format!("{n} {v}"),
            (Some(n), None) => n.to_string(),
            _ => String::new(),
        }
    }

    /// The row's JSON object (stable schema: name, active, address, address_source, leader,
    /// model_name, model_version, experiment, release; model and experiment null in the config.ini
    /// era, release null unless `--releases` learnt it).
    pub fn to_json(&self) -> schema::WorkerJson<'a> {
        schema::WorkerJson {
            name: self.name,
            active: self.active,
            address: self.address_shown(),
            address_source: if self.unreachable() {
                "flagged"
            } else {
                self.reach.source()
            },
            leader: self.leader,
            model_name: self.model_name,
            model_version: self.model_version,
            experiment: self.experiment,
            release: self.release,
            flaw: self.flaws.first().map(Flaw::as_str),
        }
    }
}

/// What an inventory command did (or, with `--dry-run`, would do).
pub struct ChangeReport<'a> {
    pub command: &'a str,
    /// `config` or `api`: where the inventory lives.
    pub inventory: &'static str,
    pub config_path: String,
    pub changes: &'a [Change],
    pub dry_run: bool,
    pub created: bool,
    pub diff: String,
}

impl ChangeReport<'_> {
    pub fn to_json(&self) -> schema::Changes<'_> {
        schema::Changes {
            command: self.command,
            inventory: self.inventory,
            config: &self.config_path,
            dry_run: self.dry_run,
            changed: !self.changes.is_empty(),
            created_config: self.created,
            changes: self.changes.iter().map(schema::ChangeJson::from).collect(),
            diff: self.dry_run.then_some(self.diff.as_str()),
        }
    }
}

/// Prints a change report: JSON or the diff on stdout, the story on stderr.
pub fn changes(ctx: &Context, report: &ChangeReport) -> io::Result<()> {
    let narrator = Narrator::new(ctx);
    if ctx.json {
        return json_data(&report.to_json());
    }
    if report.dry_run {
        if report.changes.is_empty() {
            narrator.say("Nothing would change.");
            return Ok(());
        }
        if report.inventory == "api" {
            narrator.say("Dry run: nothing was changed. The leader's database would change so:");
            for change in report.changes {
                narrator.say(&format!("  {change}"));
            }
        }
        if !report.diff.is_empty() {
            narrator.say(&format!(
                "Dry run: {} would change as follows; nothing was written.",
                report.config_path
            ));
        }
        return data(&report.diff);
    }
    if report.changes.is_empty() {
        return Ok(());
    }
    if report.created {
        narrator.say(&format!(
            "Created {} (this unit leads the cluster).",
            report.config_path
        ));
    }
    for change in report.changes {
        narrator.say(&change.to_string());
    }
    narrator.detail(&format!("Wrote {}.", report.config_path));
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::{Value, json};

    #[test]
    fn controls_are_escaped_for_terminals() {
        assert_eq!(escape_controls("pio02"), "pio02");
        assert!(matches!(escape_controls("a\nb"), Cow::Borrowed(_)));
        assert_eq!(
            escape_controls("\x1b]0;pwned\x07 \x1b[2J\u{9b}2J\r\t\x7f\nok"),
            "\\x1b]0;pwned\\x07 \\x1b[2J\\u{9b}2J\\x0d\\x09\\x7f\nok"
        );
        assert_eq!(escape_line("a\nb"), "a\\x0ab");
        assert_eq!(escape_controls("µ-lab ✓"), "µ-lab ✓");
    }

    #[test]
    fn wrapping_never_breaks_a_command() {
        let fix = "Install this leader's key on it: `pio workers add pio02 --no-reboot` (asks for \
                   the password once), or `ssh-copy-id -p 22 pioreactor@10.0.0.2`.";
        let wrapped = wrap_keeping_commands(fix, 40, "    ");
        for line in wrapped.lines() {
            assert_eq!(line.matches('`').count() % 2, 0, "{wrapped}");
            assert!(
                line.chars().count() <= 44 || line.trim_start().starts_with('`'),
                "{wrapped}"
            );
        }
        assert!(wrapped.contains("`pio workers add pio02 --no-reboot`"));
        assert_eq!(wrapped.replace("\n    ", " "), fix);
    }

    #[test]
    fn json_stays_exact_and_escapes_every_control() {
        let mut out = Vec::new();
        let name = "\x1b[2J\u{9b}\x7f\x07é";
        let mut ser = serde_json::Serializer::with_formatter(&mut out, SafeJson::default());
        json!({"name": name, "list": [1, 2]})
            .serialize(&mut ser)
            .unwrap();
        let text = String::from_utf8(out).unwrap();
        assert!(
            !text.chars().any(|c| c.is_control() && c != '\n'),
            "{text:?}"
        );
        assert!(
            text.contains("\\u009b") && text.contains("\\u007f"),
            "{text}"
        );
        let back: Value = serde_json::from_str(&text).unwrap();
        assert_eq!(back["name"], name);
        // Pretty, as before.
        assert!(text.contains("\n  \"list\": [\n    1,"), "{text}");
    }
}
