//! config.ini: where it is, what its cluster sections say, and how pio changes it safely.

pub mod diff;
mod flagged;
pub mod ini;
pub mod store;

use std::borrow::Cow;
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicU64, Ordering::Relaxed};
use std::sync::{Mutex, PoisonError};

use crate::cluster::name::shown;
use crate::cluster::{
    Change, Cluster, Flagged, Flaw, Flaws, UnitName, Worker, check_static_address,
};
use crate::error::{Error, Kind, Result};
use ini::{Document, Entry, Section, key_eq};

pub use flagged::refuse_flagged;

/// The sample pio starts from when a unit has no config.ini yet.
pub const SAMPLE: &str = include_str!("../../config.ini.sample");

/// Names of the sections that hold the cluster, as this file spells them.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct SectionNames {
    pub topology: &'static str,
    pub inventory: &'static str,
    pub addresses: &'static str,
}

impl SectionNames {
    /// Current names unless the file only has the pre-2022 `[network.*]` ones, in which case pio
    /// reads and edits those (the Python release that reads this file expects them there).
    fn of(doc: &Document) -> SectionNames {
        let pick = |new: &'static str, old: &'static str| {
            if !doc.has_section(new) && doc.has_section(old) {
                old
            } else {
                new
            }
        };
        SectionNames {
            topology: pick("cluster.topology", "network.topology"),
            inventory: pick("cluster.inventory", "network.inventory"),
            addresses: "cluster.addresses",
        }
    }
}

/// A config.ini in memory: its text as read, and the document pio edits.
#[derive(Debug)]
pub struct Config {
    pub path: PathBuf,
    /// Whether the file exists on disk (otherwise this is the single-unit default).
    pub exists: bool,
    pub doc: Document,
    pub sections: SectionNames,
    /// Notes for the operator about how the file is written (legacy sections, ...).
    pub warnings: Vec<String>,
    /// Lines that look like a section header missing its `]` (see [`Config::refuse_edits`]).
    unclosed: Vec<Error>,
    /// The generation of `doc` whose inventory passed [`Config::flagged`]'s checks (0: none):
    /// a command asks for the cluster several times, and only an edit can change the verdict.
    checked: AtomicU64,
    /// Where each worker's address line is, for one generation of `doc` (likewise).
    layout: Mutex<Layout>,
}

/// Which `[cluster.addresses]` line is each worker's and whether it is active, and which lines
/// are no worker's, as positions: what [`Config::cluster`] works out of one generation of the
/// document.
#[derive(Debug, Default)]
struct Layout {
    generation: u64,
    /// Per worker, in inventory order: its address line ([`Layout::NONE`] for none) and state.
    workers: Vec<(u32, bool)>,
    /// The address lines of units that are not workers (a leader that is not one), in order.
    others: Vec<u32>,
}

impl Layout {
    const NONE: u32 = u32::MAX;

    /// Each address line finds its worker, if any (no hostname is in either section twice:
    /// `inventory` is checked): one lookup per address rather than per worker.
    fn of(config: &Config, inventory: &Inventory, addresses: &[Entry]) -> Layout {
        let doc = &config.doc;
        let by_name = doc.section(config.sections.inventory);
        let active = |e| python_bool(first_line(doc, e)).expect("checked by Config::flagged");
        let mut workers: Vec<(u32, bool)> = inventory
            .entries
            .iter()
            .map(|e| (Layout::NONE, active(e)))
            .collect();
        let mut others = Vec::new();
        for (k, e) in addresses.iter().enumerate() {
            match by_name.and_then(|s| doc.find_folded_at(s, doc.key(e))) {
                Some(worker) => workers[worker].0 = k as u32,
                None => others.push(k as u32),
            }
        }
        Layout {
            generation: doc.generation(),
            workers,
            others,
        }
    }
}

impl Config {
    /// Reads and checks the file at `path`, or builds the single-unit default when there is none.
    pub fn load(path: &Path, hostname: &str) -> Result<Config> {
        match store::read(path)? {
            Some(text) => Config::from_text(path, text, true),
            None => Config::fresh(path, hostname),
        }
    }

    /// The config a fresh unit gets on its first write: the sample with this host as leader and
    /// only worker.
    fn fresh(path: &Path, hostname: &str) -> Result<Config> {
        // The name goes into the file: a line break or a control character would add lines.
        if hostname.is_empty()
            || hostname
                .chars()
                .any(|c| c.is_control() || c.is_whitespace())
        {
            return Err(Error::usage(format!(
                "this unit's hostname {hostname:?} cannot name a cluster's leader"
            ))
            .with_hint("Give the unit a plain hostname (`sudo hostnamectl set-hostname pio01`)."));
        }
        // A fresh unit's "original" is no file at all: see Config::original.
        let mut config = Config::from_text(path, String::new(), false)?;
        config.doc = Document::parse(SAMPLE).expect("the embedded sample parses");
        let t = config.sections.topology;
        config
            .doc
            .set(t, "leader_hostname", hostname, |k| k == "leader_hostname");
        config
            .doc
            .set(t, "leader_address", &format!("{hostname}.local"), |k| {
                k == "leader_address"
            });
        config.apply(&[Change::AddWorker {
            name: hostname.to_string(),
            active: true,
        }]);
        Ok(config)
    }

    pub fn from_text(path: &Path, text: String, exists: bool) -> Result<Config> {
        let doc = Document::parse_owned(text).map_err(|e| {
            invalid(path, e.line(), &e.to_string()).with_hint(
                "Python's configparser would refuse this file too; fix that line and run pio again.",
            )
        })?;
        let sections = SectionNames::of(&doc);
        let mut warnings = Vec::new();
        for (old, new) in [
            (sections.topology, "cluster.topology"),
            (sections.inventory, "cluster.inventory"),
        ] {
            if old != new {
                warnings.push(format!(
                    "{}: uses the pre-2022 section [{old}]; pio reads and edits it there. \
                     To modernise, rename the header to [{new}] (the Pioreactor software since 2022 reads only that).",
                    path.display()
                ));
            }
        }
        let unclosed = unclosed_headers(path, &doc);
        Ok(Config {
            path: path.to_path_buf(),
            exists,
            doc,
            sections,
            warnings,
            unclosed,
            checked: AtomicU64::new(0),
            layout: Mutex::new(Layout::default()),
        })
    }

    /// Refuses to edit a file with a section header missing its `]`: the lines after it belong to
    /// the section above it (to Python as to pio), so a missing section would be added again
    /// and a fix of the header would then make it twice. Exit code 2, every such line named.
    pub fn refuse_edits(&self) -> Result<()> {
        match &self.unclosed[..] {
            [] => Ok(()),
            [one] => Err(one.clone()),
            many => {
                let lines: Vec<String> = many.iter().map(|e| format!("  {}", e.message)).collect();
                Err(Error::usage(format!(
                    "{} lines need fixing first (nothing was changed):\n{}",
                    many.len(),
                    lines.join("\n")
                ))
                .with_hint(many[0].hint.clone().unwrap_or_default()))
            }
        }
    }

    /// The section headers missing their `]`, for the commands that read (see
    /// [`Config::refuse_edits`]).
    pub fn unclosed(&self) -> &[Error] {
        &self.unclosed
    }

    /// The inventory, once [`Config::flagged`] finds no line to flag.
    fn inventory(&self) -> Inventory<'_> {
        let names = &self.sections;
        Inventory {
            doc: &self.doc,
            entries: self.entries(names.inventory),
            addresses: self.doc.section(names.addresses),
        }
    }

    /// Whether the inventory passed the checks before the last edit, and that edit replaced one
    /// value that passes them too (set-active's edit): then nothing else needs checking again.
    /// Any other answer is `false`, and the full check decides (and words any error).
    fn checked_but_one_value(&self) -> bool {
        let Some((before, edited)) = self.doc.value_edit() else {
            return false;
        };
        if self.checked.load(Relaxed) != before {
            return false;
        }
        let (names, at) = (&self.sections, |e: &Entry| std::ptr::eq(e, edited));
        if self.entries(names.inventory).iter().any(at) {
            let value = self.doc.value(edited);
            return value.as_deref().and_then(python_bool).is_some();
        }
        if self.entries(names.addresses).iter().any(at) {
            return self.address(names.addresses, edited).is_ok();
        }
        // Another section's value: not the inventory's.
        true
    }

    fn entries(&self, section: &str) -> &[Entry] {
        self.doc
            .section(section)
            .map_or(&[][..], |s| self.doc.entries(s))
    }

    /// `[cluster.topology]`: the leader's hostname (`hostname` when the file leaves it empty)
    /// and its address, if given.
    pub fn leader<'a>(&'a self, hostname: &'a str) -> Result<(&'a str, Option<&'a str>)> {
        let topology = |key: &str| -> Result<Option<&'a str>> {
            match self.get(self.sections.topology, key) {
                Some(e) => Ok(
                    Some(self.single_line(self.sections.topology, e)?).filter(|v| !v.is_empty())
                ),
                None => Ok(None),
            }
        };
        let leader_address = topology("leader_address")?;
        if let (Some(address), Some(entry)) = (
            leader_address,
            self.get(self.sections.topology, "leader_address"),
        ) {
            self.check_address(self.sections.topology, entry, address)?;
        }
        let leader = topology("leader_hostname")?;
        if let (Some(name), Some(entry)) =
            (leader, self.get(self.sections.topology, "leader_hostname"))
        {
            // The leader's name reaches SSH, URLs and printed commands like any unit's. The
            // Python stack's development config leads from `localhost`: that one is kept.
            let checked = match ini::fold_key(name) {
                local if local == "localhost" => Ok(()),
                folded => UnitName::parse(&folded).map(drop),
            };
            checked.map_err(|e| {
                invalid(
                    &self.path,
                    entry.line(),
                    &format!(
                        "[{}] leader_hostname is '{}', which is not a valid unit name: {}",
                        self.sections.topology,
                        shown(name),
                        e.reason
                    ),
                )
                .with_hint(format!("{} Set it to the leader's hostname.", e.hint))
            })?;
        }
        Ok((leader.unwrap_or(hostname), leader_address))
    }

    /// The cluster this file describes, as the Python stack would read it, with the lines pio
    /// cannot use flagged ([`Cluster::flagged`]). `hostname` stands in for an empty
    /// `leader_hostname`.
    pub fn cluster<'a>(&'a self, hostname: &'a str) -> Result<Cluster<'a>> {
        let flagged = self.flagged(true);
        if !flagged.is_empty() {
            return self.cluster_flagged(hostname, flagged);
        }
        let inventory = self.inventory();
        let doc = &self.doc;
        let addresses = self.entries(self.sections.addresses);
        let mut layout = self.layout.lock().unwrap_or_else(PoisonError::into_inner);
        if layout.generation != doc.generation() {
            match doc.value_edit() {
                // One value replaced since: at most one worker's state differs.
                Some((before, edited)) if layout.generation == before => {
                    let at = |e: &Entry| std::ptr::eq(e, edited);
                    if let Some(k) = inventory.entries.iter().position(at) {
                        layout.workers[k].1 = python_bool(first_line(doc, edited))
                            .expect("checked by Config::flagged");
                    }
                    layout.generation = doc.generation();
                }
                _ => *layout = Layout::of(self, &inventory, addresses),
            }
        }
        let workers: Vec<Worker> = inventory
            .entries
            .iter()
            .zip(&layout.workers)
            .map(|(e, &(k, active))| Worker {
                name: doc.key(e),
                active,
                address: (k != Layout::NONE).then(|| first_line(doc, &addresses[k as usize])),
                flaws: Flaws::NONE,
            })
            .collect();
        let other_addresses = layout
            .others
            .iter()
            .map(|&k| &addresses[k as usize])
            .map(|e| (doc.key(e), first_line(doc, e)))
            .collect();
        drop(layout);
        self.led_by(hostname, workers, other_addresses, Vec::new())
    }

    /// The cluster of these workers and addresses, led as `[cluster.topology]` says.
    fn led_by<'a>(
        &'a self,
        hostname: &'a str,
        workers: Vec<Worker<'a>>,
        other_addresses: Vec<(&'a str, &'a str)>,
        flagged: Vec<Flagged>,
    ) -> Result<Cluster<'a>> {
        let (leader, leader_address) = self.leader(hostname)?;
        Ok(Cluster {
            leader,
            leader_address,
            workers,
            other_addresses,
            flagged,
        })
    }

    /// `[cluster.addresses]` in file order, less its flagged lines (see [`Config::flagged`]).
    /// Read on its own for the database era, where `[cluster.inventory]` is a stale leftover at
    /// best.
    pub fn addresses(&self) -> Vec<(&str, &str)> {
        let flagged = self.flagged(false);
        let unusable = |line| {
            let mut about = flagged.iter().filter(|f| f.line == line && !f.in_inventory);
            about.any(|f| f.flaw != Flaw::Default)
        };
        self.read_in(self.sections.addresses)
            .into_iter()
            .filter(|(e, _)| !unusable(e.line()))
            .map(|(e, _)| (self.doc.key(e), first_line(&self.doc, e)))
            .collect()
    }

    /// `key` of `section`, else of `[DEFAULT]` (which every section reads, as configparser does).
    fn get(&self, section: &str, key: &str) -> Option<&Entry> {
        self.doc
            .get(section, key)
            .or_else(|| self.doc.get(flagged::DEFAULT, key))
    }

    /// An entry of `[cluster.addresses]`: its key a unit name, its value one line holding an
    /// address (see [`check_static_address`]).
    fn address(&self, section: &str, entry: &Entry) -> Result<&str> {
        self.unit_name(section, entry)?;
        self.address_value(section, entry)
    }

    /// The value of an entry of `[cluster.addresses]` whose key is known to be a unit name.
    fn address_value(&self, section: &str, entry: &Entry) -> Result<&str> {
        let value = self.single_line(section, entry)?;
        self.check_address(section, entry, value)?;
        Ok(value)
    }

    fn check_address(&self, section: &str, entry: &Entry, value: &str) -> Result<()> {
        if is_plain_ipv4(value) {
            return Ok(());
        }
        check_static_address(value).map_err(|e| {
            invalid(
                &self.path,
                entry.line(),
                &format!(
                    "[{section}] {} is '{}', which is not an address: {}",
                    shown(self.doc.key(entry)),
                    shown(value),
                    e.reason
                ),
            )
            .with_hint(format!("{} Correct that line, or delete it.", e.hint))
        })
    }

    /// A key that names a unit (in `[cluster.inventory]` or `[cluster.addresses]`) must be a
    /// hostname by the rule command-line names follow, as Python lower-cases it (`Pio02` is
    /// `pio02`): such names reach SSH, URLs and printed commands.
    fn unit_name(&self, section: &str, entry: &Entry) -> Result<()> {
        let key = self.doc.key(entry);
        if is_plain_unit_name(key) {
            return Ok(());
        }
        UnitName::parse(&ini::fold_key(key)).map(drop).map_err(|e| {
            invalid(
                &self.path,
                entry.line(),
                &format!(
                    "[{section}] lists '{}', which is not a valid unit name: {}",
                    shown(key),
                    e.reason
                ),
            )
            .with_hint(format!(
                "{} Rename the key to the unit's hostname, or delete the line; pio contacts no \
                 unit of a config.ini that names one it cannot trust.",
                e.hint
            ))
        })
    }

    /// A value that must fit on its key's line (an address, a hostname); a bare key reads as empty.
    fn single_line(&self, section: &str, entry: &Entry) -> Result<&str> {
        match self.doc.value(entry) {
            None => Ok(""),
            Some(Cow::Borrowed(v)) => Ok(v),
            Some(Cow::Owned(_)) => Err(invalid(
                &self.path,
                entry.line(),
                &format!(
                    "[{section}] {} continues on the next line (it is indented), so its value is several lines",
                    self.doc.key(entry)
                ),
            )
            .with_hint("Remove the indentation of the line after it, or join the lines.")),
        }
    }

    /// How the worker web API is reached: `[ui] proto` (default http) and `[ui] port` (default 80).
    pub fn web_api(&self) -> Result<(String, u16)> {
        let value = |key: &str| -> Result<Option<(&str, usize)>> {
            match self.get("ui", key) {
                Some(e) => Ok(Some((self.single_line("ui", e)?, e.line()))),
                None => Ok(None),
            }
        };
        let proto = match value("proto")? {
            None | Some(("", _)) => "http".to_string(),
            Some((p @ ("http" | "https"), _)) => p.to_string(),
            Some((other, line)) => {
                return Err(
                    invalid(&self.path, line, &format!("[ui] proto is '{other}'"))
                        .with_hint("Set proto=http or proto=https."),
                );
            }
        };
        let port = match value("port")? {
            None | Some(("", _)) => 80,
            Some((p, line)) => p.parse::<u16>().ok().filter(|p| *p > 0).ok_or_else(|| {
                invalid(
                    &self.path,
                    line,
                    &format!("[ui] port is '{p}', not a port number"),
                )
                .with_hint("Set port= to the web server's port (1-65535), usually 80.")
            })?,
        };
        Ok((proto, port))
    }

    /// pio's own override of the identify LED's BCM pin, `[identify] led_bcm_pin` (no
    /// Pioreactor release has it: see [`crate::hardware`] for the release's own pin).
    pub fn led_pin_override(&self) -> Result<Option<u8>> {
        let Some(entry) = self.get("identify", "led_bcm_pin") else {
            return Ok(None);
        };
        let value = self.single_line("identify", entry)?;
        if value.is_empty() {
            return Ok(None);
        }
        value
            .parse::<u8>()
            .ok()
            .filter(|p| *p <= 27)
            .map(Some)
            .ok_or_else(|| {
                invalid(
                    &self.path,
                    entry.line(),
                    &format!("[identify] led_bcm_pin is '{value}'"),
                )
                .with_hint(
                    "Set it to the LED's BCM GPIO number, 0-27 (the Pioreactor HAT uses 23).",
                )
            })
    }

    /// Applies membership changes to the document, touching only the lines concerned.
    pub fn apply(&mut self, changes: &[Change]) {
        let names = self.sections.clone();
        for change in changes {
            match change {
                Change::AddWorker { name, active } | Change::SetActive { name, active } => {
                    let value = if *active { "1" } else { "0" };
                    let key = name.to_ascii_lowercase();
                    self.doc.set_folded(names.inventory, &key, value, name);
                }
                Change::SetAddress { name, new, .. } => {
                    let key = name.to_ascii_lowercase();
                    self.doc.set_folded(names.addresses, &key, new, name);
                }
                Change::RemoveWorker { name } => {
                    self.doc.remove(names.inventory, |k| key_eq(k, name));
                }
                Change::RemoveAddress { name, .. } => {
                    self.doc.remove(names.addresses, |k| key_eq(k, name));
                }
                // Kept by the leader's database, not config.ini.
                Change::SetModel { .. } => {}
                Change::RenameWorker { old, new } => {
                    let new = new.to_ascii_lowercase();
                    for section in [names.inventory, names.addresses] {
                        self.doc.rename_key(section, |k| key_eq(k, old), &new);
                    }
                }
            }
        }
    }

    /// The edited text.
    pub fn render(&self) -> &str {
        self.doc.render()
    }

    /// Whether the edited text differs from what was read (a fresh unit always counts as changed).
    pub fn is_changed(&self) -> bool {
        !self.exists || self.doc.is_changed()
    }

    /// The text as read: empty when there was no file.
    pub fn original(&self) -> &str {
        if self.exists { self.doc.original() } else { "" }
    }
}

/// A checked inventory whose workers are decoded as they are asked for: listing thousands of
/// them needs no list of them in memory.
pub struct Inventory<'a> {
    doc: &'a Document,
    entries: &'a [Entry],
    /// `[cluster.addresses]`, checked, whose entries are looked up by hostname.
    addresses: Option<&'a Section>,
}

impl<'a> Inventory<'a> {
    /// The workers in inventory order.
    pub fn iter(&self) -> impl Iterator<Item = Worker<'a>> + Clone + '_ {
        self.entries.iter().map(|e| self.decode(e))
    }

    fn decode(&self, entry: &'a Entry) -> Worker<'a> {
        let name = self.doc.key(entry);
        let value = first_line(self.doc, entry);
        let address = self
            .addresses
            .and_then(|s| self.doc.find_folded(s, name))
            .map(|e| first_line(self.doc, e));
        Worker {
            name,
            active: python_bool(value).expect("checked by Config::flagged"),
            address,
            flaws: Flaws::NONE,
        }
    }
}

/// A checked single-line value (or "" for a bare key).
fn first_line<'a>(doc: &'a Document, entry: &Entry) -> &'a str {
    match doc.value(entry) {
        Some(Cow::Borrowed(v)) => v,
        _ => "",
    }
}

/// Whether a key is a unit name as it stands: lower-case ASCII letters, digits and `-`, 1 to 63
/// of them, not starting or ending with `-`, and not `localhost`. Exactly the keys that
/// [`UnitName::parse`] accepts without lower-casing them (with no `.` or `:` a key can be
/// neither an IP address nor a `.local` name), checked without its allocations; any other key
/// goes to it, for its verdict and its message.
fn is_plain_unit_name(key: &str) -> bool {
    let b = key.as_bytes();
    let plain = (1..=63).contains(&b.len())
        && b.iter()
            .all(|&c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == b'-')
        && b[0] != b'-'
        && b[b.len() - 1] != b'-'
        && (b.len() != 9 || key != "localhost");
    debug_assert!(!plain || UnitName::parse(key).is_ok(), "{key}");
    plain
}

/// Whether an address is a dotted IPv4 address of a single host as most are written: four
/// numbers 0-255 without leading zeros, neither 0.0.0.0 nor 255.255.255.255 nor multicast
/// (224-239 first). [`check_static_address`] accepts every one of them; checked here without
/// parsing each twice, as it does. Any other value goes to it, for its verdict and message.
fn is_plain_ipv4(value: &str) -> bool {
    // Each octet's value and digit count, one byte at a time.
    let (mut octets, mut count, mut digits) = ([0u32; 4], 0, 0);
    for &b in value.as_bytes() {
        match b {
            b'0'..=b'9' if digits < 3 && count < 4 => {
                // A leading zero only as the whole number.
                if digits == 1 && octets[count] == 0 {
                    return false;
                }
                octets[count] = octets[count] * 10 + u32::from(b - b'0');
                digits += 1;
            }
            b'.' if digits > 0 && count < 3 => (count, digits) = (count + 1, 0),
            _ => return false,
        }
    }
    let plain = count == 3
        && digits > 0
        && octets.iter().all(|&o| o <= 255)
        && octets != [0; 4]
        && octets != [255; 4]
        && !(224..=239).contains(&octets[0]);
    debug_assert!(!plain || check_static_address(value).is_ok(), "{value}");
    plain
}

/// Every key that starts with `[`: a section header missing its `]` (`[cluster.inventory`),
/// which Python reads as a key with no value in the section above.
fn unclosed_headers(path: &Path, doc: &Document) -> Vec<Error> {
    let mut found = Vec::new();
    for section in doc.sections() {
        for entry in doc.entries(section) {
            let key = doc.key(entry);
            if !key.starts_with('[') {
                continue;
            }
            let above = doc.name(section);
            found.push(
                invalid(
                    path,
                    entry.line(),
                    &format!(
                        "'{}' is a section header missing its ']': Python reads it as a key with \
                         no value in [{above}], and the lines after it as part of [{above}]; \
                         pio changes nothing in this file until it is fixed",
                        shown(key)
                    ),
                )
                .with_hint("Close the header with ']' on that line, then run pio again."),
            );
        }
    }
    found
}

/// Python's `ConfigParser.getboolean` values.
pub fn python_bool(value: &str) -> Option<bool> {
    // What pio and the Python stack write, at once: this runs for every worker of an inventory.
    match value {
        "1" => return Some(true),
        "0" => return Some(false),
        _ => {}
    }
    let is = |words: [&str; 4]| words.iter().any(|w| w.eq_ignore_ascii_case(value));
    if is(["1", "yes", "true", "on"]) {
        Some(true)
    } else if is(["0", "no", "false", "off"]) {
        Some(false)
    } else {
        None
    }
}

/// An error about the content of config.ini at a line (0-based), shown as `path:line: ...`.
fn invalid(path: &Path, line: usize, what: &str) -> Error {
    Error::new(
        Kind::Usage,
        format!("{}:{}: {what}", path.display(), line + 1),
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn booleans_as_python_reads_them() {
        for t in ["1", "yes", "TRUE", "On"] {
            assert_eq!(python_bool(t), Some(true));
        }
        for f in ["0", "no", "False", "OFF"] {
            assert_eq!(python_bool(f), Some(false));
        }
        for bad in ["", "2", "1 ; note", "y", "enabled"] {
            assert_eq!(python_bool(bad), None);
        }
    }

    #[test]
    fn fresh_unit_gets_the_sample_filled_in() {
        let c = Config::load(Path::new("/nonexistent/pio/config.ini"), "pio01").unwrap();
        assert!(!c.exists && c.is_changed());
        let text = c.render();
        assert!(text.contains("leader_hostname=pio01\n"));
        assert!(text.contains("leader_address=pio01.local\n"));
        let written = Config::from_text(Path::new("x"), text.to_string(), true).unwrap();
        let cluster = written.cluster("other").unwrap();
        assert_eq!(cluster.leader, "pio01");
        assert_eq!(cluster.workers.len(), 1);
        assert!(cluster.workers[0].active);
    }

    #[test]
    fn legacy_sections_are_read_with_a_warning() {
        let text = "[network.topology]\nleader_hostname=lead\n[network.inventory]\nw1=1\nw2=off\n";
        let c = Config::from_text(Path::new("c.ini"), text.into(), true).unwrap();
        assert_eq!(c.warnings.len(), 2);
        let cluster = c.cluster("me").unwrap();
        assert_eq!(cluster.leader, "lead");
        assert_eq!(cluster.workers.len(), 2);
        assert!(!cluster.workers[1].active);
    }

    #[test]
    fn invalid_inventory_value_names_file_and_line() {
        let text = "[cluster.inventory]\nw1=1\nw2=1 ; spare\n";
        let c = Config::from_text(Path::new("c.ini"), text.into(), true).unwrap();
        let cluster = c.cluster("me").unwrap();
        let [f] = &cluster.flagged[..] else {
            panic!("{:?}", cluster.flagged)
        };
        assert!(f.message.starts_with("c.ini:3: "), "{}", f.message);
        assert_eq!((f.flaw, f.in_inventory, f.line), (Flaw::State, true, 2));
        // The other worker is as it was; this one is flagged, and counts as inactive.
        assert_eq!(cluster.workers[1].flaws, Flaw::State.into());
        assert!(cluster.workers[0].active && cluster.workers[0].flaws == Flaws::NONE);
    }

    #[test]
    fn spellings_that_python_lower_cases_alike_are_one_name() {
        // KELVIN SIGN: Python's str.lower makes it `k`.
        let text = "[cluster.inventory]\n\u{212a}io=1\nkIO=0\n";
        let c = Config::from_text(Path::new("c.ini"), text.into(), true).unwrap();
        let flagged = c.cluster("me").unwrap().flagged;
        assert_eq!(flagged.len(), 2, "{flagged:?}");
        assert!(flagged.iter().all(|f| f.flaw == Flaw::Duplicate));
        assert!(
            flagged[1].message.contains("c.ini:3:"),
            "{}",
            flagged[1].message
        );
        let text = "[cluster.inventory]\n\u{212a}io=1\n";
        let mut c = Config::from_text(Path::new("c.ini"), text.into(), true).unwrap();
        assert!(c.cluster("me").unwrap().worker("kio").is_some());
        c.apply(&[Change::SetActive {
            name: "kio".into(),
            active: false,
        }]);
        assert_eq!(c.render(), "[cluster.inventory]\n\u{212a}io=0\n");
    }

    #[test]
    fn plain_names_and_addresses_are_those_the_full_checks_accept() {
        for (v, plain) in [
            ("10.0.0.1", true),
            ("0.1.2.3", true),
            ("240.0.0.1", true),
            ("192.168.255.254", true),
            ("0.0.0.0", false),
            ("255.255.255.255", false),
            ("224.0.0.1", false),
            ("239.255.0.1", false),
            ("01.2.3.4", false),
            ("1.2.3", false),
            ("1.2.3.4.", false),
            ("1..2.3", false),
            (".1.2.3", false),
            ("256.1.1.1", false),
            ("1.2.3.4.5", false),
            ("1.2.3.1000", false),
            ("", false),
            ("pio02.local", false),
        ] {
            assert_eq!(is_plain_ipv4(v), plain, "{v}");
        }
        for (k, plain) in [
            ("pio02", true),
            ("a", true),
            ("0-0", true),
            ("localhost", false),
            ("Pio02", false),
            ("-pio", false),
            ("pio-", false),
            ("pio.02", false),
            ("", false),
        ] {
            assert_eq!(is_plain_unit_name(k), plain, "{k}");
        }
        // Every plain one passes the full check (each function asserts it in debug builds).
        let alphabet = b"0125.9-az";
        let mut x: u64 = 0x2545_f491_4f6c_dd1d;
        for _ in 0..50_000 {
            x ^= x << 13;
            x ^= x >> 7;
            x ^= x << 17;
            let len = (x % 16) as usize;
            let s: String = (0..len)
                .map(|k| alphabet[(x >> (4 + 3 * k)) as usize % alphabet.len()] as char)
                .collect();
            if is_plain_ipv4(&s) {
                assert!(check_static_address(&s).is_ok(), "{s}");
            }
            if is_plain_unit_name(&s) {
                assert!(UnitName::parse(&s).is_ok(), "{s}");
            }
        }
    }

    #[test]
    fn the_cluster_follows_every_edit() {
        let text =
            "[cluster.inventory]\nw1=1\nw2=0\n[cluster.addresses]\nw2=10.0.0.2\nlead=10.0.0.9\n";
        let mut c = Config::from_text(Path::new("c.ini"), text.into(), true).unwrap();
        let before = c.cluster("me").unwrap();
        assert!(!before.workers[1].active);
        assert_eq!(before.workers[1].address, Some("10.0.0.2"));
        assert_eq!(before.other_addresses, vec![("lead", "10.0.0.9")]);
        assert_eq!(c.cluster("me").unwrap(), before);
        // One value replaced in place: checked and laid out again for that value alone.
        c.apply(&[Change::SetActive {
            name: "w2".into(),
            active: true,
        }]);
        assert!(c.cluster("me").unwrap().workers[1].active);
        c.doc
            .set("cluster.addresses", "w2", "10.0.0.22", |k| k == "w2");
        assert_eq!(
            c.cluster("me").unwrap().workers[1].address,
            Some("10.0.0.22")
        );
        c.doc.set("cluster.inventory", "w2", "maybe", |k| k == "w2");
        for _ in 0..2 {
            let flagged = c.cluster("me").unwrap().flagged;
            assert!(
                flagged[0].message.contains("w2 has the value 'maybe'"),
                "{flagged:?}"
            );
        }
        c.doc
            .set("cluster.addresses", "w2", "10.0.0.2", |k| k == "w2");
        c.apply(&[
            Change::SetActive {
                name: "w2".into(),
                active: true,
            },
            Change::SetAddress {
                name: "w1".into(),
                old: None,
                new: "10.0.0.1".into(),
            },
            Change::RemoveAddress {
                name: "lead".into(),
                address: "10.0.0.9".into(),
            },
        ]);
        let after = c.cluster("me").unwrap();
        assert!(after.workers[1].active);
        assert_eq!(after.workers[0].address, Some("10.0.0.1"));
        assert!(after.other_addresses.is_empty());
        // An edit the checks refuse is refused at every ask, not only the first.
        c.apply(&[Change::SetActive {
            name: "w3".into(),
            active: true,
        }]);
        c.doc.set("cluster.inventory", "w3", "maybe", |k| k == "w3");
        for _ in 0..2 {
            let flagged = c.cluster("me").unwrap().flagged;
            assert!(
                flagged[0].message.contains("w3 has the value 'maybe'"),
                "{flagged:?}"
            );
        }
    }

    #[test]
    fn default_keys_are_read_in_every_section() {
        let text = "[DEFAULT]\nport=8080\nleader_address=10.0.0.9\n[cluster.topology]\nleader_hostname=lead\n[ui]\n";
        let c = Config::from_text(Path::new("c.ini"), text.into(), true).unwrap();
        assert_eq!(c.web_api().unwrap(), ("http".to_string(), 8080));
        assert_eq!(c.leader("me").unwrap(), ("lead", Some("10.0.0.9")));
        // A section's own key wins.
        let text = "[DEFAULT]\nport=8080\n[ui]\nport=81\n";
        let c = Config::from_text(Path::new("c.ini"), text.into(), true).unwrap();
        assert_eq!(c.web_api().unwrap().1, 81);
    }

    #[test]
    fn two_spellings_of_one_name_are_refused() {
        let text = "[cluster.inventory]\nPio1=1\nx=1\npio1=0\n";
        let c = Config::from_text(Path::new("c.ini"), text.into(), true).unwrap();
        let cluster = c.cluster("me").unwrap();
        let lines: Vec<usize> = cluster.flagged.iter().map(|f| f.line).collect();
        assert_eq!(lines, [1, 3]);
        let later = &cluster.flagged[1].message;
        assert!(
            later.contains("c.ini:4:") && later.contains("line 2"),
            "{later}"
        );
        // Neither line is edited: which one is meant?
        assert_eq!(cluster.flaws_of(&["pio1"]).len(), 2);
        assert!(cluster.flaws_of(&["x"]).is_empty());
    }
}
