//! The lines of `[cluster.inventory]` and `[cluster.addresses]` pio cannot use, found as the
//! Python stack would read them and flagged ([`crate::cluster::flagged`]): one odd line fails
//! only the commands that would use it.

use std::sync::atomic::Ordering::Relaxed;

use super::*;

/// configparser's section whose keys every other section has too.
pub(super) const DEFAULT: &str = "DEFAULT";

impl Config {
    /// Every line of `[cluster.inventory]` (with `inventory_too`) and `[cluster.addresses]` that
    /// pio cannot use, in file order, checked as the Python stack would read them: keys that
    /// are hostnames, values it reads as booleans, no hostname twice, addresses on one line
    /// each. Empty, and at once, for the document that passed last time (or whose one edit
    /// since passes too).
    pub fn flagged(&self, inventory_too: bool) -> Vec<Flagged> {
        let doc = &self.doc;
        let names = &self.sections;
        if self.checked.load(Relaxed) == doc.generation() || self.checked_but_one_value() {
            self.checked.store(doc.generation(), Relaxed);
            return Vec::new();
        }
        let mut flagged = Vec::new();
        let mut sections = vec![(names.addresses, false)];
        if inventory_too {
            sections.insert(0, (names.inventory, true));
        }
        for (section, in_inventory) in sections {
            self.duplicates(section, in_inventory, &mut flagged);
            for (entry, from_default) in self.read_in(section) {
                // A [DEFAULT] line is named as such, whichever section reads it.
                let label = if from_default { DEFAULT } else { section };
                // Only an inventory line has a state (an address read as one costs a lot here).
                let active = if in_inventory {
                    doc.value(entry).as_deref().and_then(python_bool)
                } else {
                    None
                };
                let mut flag = |flaw, e: Error| {
                    let unit =
                        (flaw != Flaw::Name).then(|| ini::fold_key(doc.key(entry)).into_owned());
                    flagged.push(Flagged {
                        flaw,
                        key: shown(doc.key(entry)).into_owned(),
                        unit,
                        in_inventory,
                        active: active.filter(|_| in_inventory),
                        value: shown(first_line(doc, entry)).into_owned(),
                        line: entry.line(),
                        message: e.message,
                        hint: e.hint.unwrap_or_default(),
                    })
                };
                if let Err(e) = self.unit_name(label, entry) {
                    flag(Flaw::Name, e);
                } else if !in_inventory && let Err(e) = self.address_value(label, entry) {
                    flag(Flaw::Address, e);
                } else if in_inventory && active.is_none() {
                    flag(Flaw::State, self.bad_state(label, entry));
                } else if from_default {
                    flag(Flaw::Default, self.inherited_line(section, entry));
                }
            }
        }
        if flagged.is_empty() && inventory_too {
            self.checked.store(doc.generation(), Relaxed);
        }
        flagged.sort_by_key(|f| f.line);
        flagged.dedup_by_key(|f| (f.line, f.flaw, f.in_inventory));
        flagged
    }

    /// An inventory line whose value Python reads as no boolean.
    pub(super) fn bad_state(&self, section: &str, entry: &Entry) -> Error {
        let key = self.doc.key(entry);
        let value_shown = match self.doc.value(entry) {
            Some(v) => format!("'{}'", shown(&v)),
            None => "nothing".to_string(),
        };
        let lower = ini::fold_key(key);
        invalid(
            &self.path,
            entry.line(),
            &format!("[{section}] {key} has the value {value_shown}, which is not a yes/no value"),
        )
        .with_hint(format!(
            "Write {lower}=1 (active) or {lower}=0 (inactive); Python reads only 1/yes/true/on and \
             0/no/false/off, and a ';' or '#' after the value is part of it."
        ))
    }

    /// The entries Python reads in `section` (when the file has it): its own, then each of
    /// `[DEFAULT]`'s that it does not have itself (configparser gives every section the keys of
    /// `[DEFAULT]`), and whether it is one of those.
    pub(super) fn read_in(&self, section: &str) -> Vec<(&Entry, bool)> {
        let doc = &self.doc;
        let Some(own) = doc.section(section) else {
            return Vec::new();
        };
        let mut entries: Vec<(&Entry, bool)> =
            doc.entries(own).iter().map(|e| (e, false)).collect();
        if section != DEFAULT
            && let Some(defaults) = doc.section(DEFAULT)
        {
            let inherited = doc.entries(defaults).iter();
            let inherited = inherited.filter(|e| doc.find_folded(own, doc.key(e)).is_none());
            entries.extend(inherited.map(|e| (e, true)));
        }
        entries
    }

    /// A `[DEFAULT]` line that `section` reads as one of its own.
    fn inherited_line(&self, section: &str, entry: &Entry) -> Error {
        let key = self.doc.key(entry);
        invalid(
            &self.path,
            entry.line(),
            &format!(
                "[{DEFAULT}] {key}={} is a line of [{section}] too (configparser gives every \
                 section the keys of [{DEFAULT}]), so pio reads {key} there as Python does",
                shown(first_line(&self.doc, entry))
            ),
        )
        .with_hint(format!(
            "Move the line into the section it belongs to; pio changes nothing in [{DEFAULT}], \
             so it can set {key}'s state (in [{section}]) but not remove or rename it."
        ))
    }

    /// Refuses to take `unit` out of `section` when `[DEFAULT]` has it: Python would read it
    /// there still (exit code 2, the `[DEFAULT]` line named).
    pub fn refuse_taking_out(&self, section: &str, unit: &str) -> Result<()> {
        let doc = &self.doc;
        let Some(entry) = doc.section(DEFAULT).and_then(|d| doc.find_folded(d, unit)) else {
            return Ok(());
        };
        let e = self.inherited_line(section, entry);
        Err(
            Error::usage(format!("{}; nothing was sent or changed", e.message))
                .with_hint(e.hint.unwrap_or_default()),
        )
    }

    /// Every line of `section` whose hostname an earlier line has (as Python lower-cases keys),
    /// flagged with that earlier line: two spellings of one hostname would be a duplicate to
    /// one of the Python releases (older ones lower-case keys), so pio refuses to guess which
    /// one is meant.
    fn duplicates(&self, section: &str, in_inventory: bool, flagged: &mut Vec<Flagged>) {
        let doc = &self.doc;
        if doc
            .section(section)
            .and_then(|s| doc.folded_duplicate(s))
            .is_none()
        {
            return;
        }
        let mut first: std::collections::HashMap<String, &Entry> = Default::default();
        for entry in self.entries(section) {
            let folded = ini::fold_key(doc.key(entry)).into_owned();
            let Some(earlier) = first.get(&folded) else {
                first.insert(folded, entry);
                continue;
            };
            for (e, other) in [(*earlier, entry), (entry, *earlier)] {
                flagged.push(Flagged {
                    flaw: Flaw::Duplicate,
                    key: shown(doc.key(e)).into_owned(),
                    unit: Some(folded.clone()),
                    in_inventory,
                    active: doc.value(e).as_deref().and_then(python_bool),
                    value: first_line(doc, e).to_string(),
                    line: e.line(),
                    message: format!(
                        "{}:{}: [{section}] lists {} again (as {} on line {}); hostnames ignore case, so these are one unit",
                        self.path.display(),
                        e.line() + 1,
                        doc.key(e),
                        doc.key(other),
                        other.line() + 1
                    ),
                    hint: "Delete one of the two lines.".to_string(),
                });
            }
        }
    }

    /// [`Config::cluster`] of a file with flagged lines: a line whose key is no hostname is no
    /// worker; a worker whose state is unreadable counts as inactive, one whose address is
    /// unusable has none, and each carries its [`Flaw`]. Not the fast path: such a file is one
    /// to fix.
    pub(super) fn cluster_flagged<'a>(
        &'a self,
        hostname: &'a str,
        flagged: Vec<Flagged>,
    ) -> Result<Cluster<'a>> {
        let doc = &self.doc;
        // What is wrong with a line as read in one section ([`Flaw::Default`] is nothing wrong).
        let flaw_at = |line: usize, in_inventory: bool| {
            flagged
                .iter()
                .find(|f| {
                    f.line == line && f.in_inventory == in_inventory && f.flaw != Flaw::Default
                })
                .map(|f| f.flaw)
        };
        let inherited = |line: usize| {
            flagged
                .iter()
                .any(|f| f.line == line && f.flaw == Flaw::Default)
        };
        let addresses = self.read_in(self.sections.addresses);
        let usable = addresses
            .iter()
            .map(|(e, _)| *e)
            .filter(|e| flaw_at(e.line(), false).is_none());
        let mut workers = Vec::new();
        for (e, _) in self.read_in(self.sections.inventory) {
            let flaw = flaw_at(e.line(), true);
            if flaw == Some(Flaw::Name) {
                continue;
            }
            let name = doc.key(e);
            let address = usable.clone().find(|a| key_eq(doc.key(a), name));
            let address_flaw = addresses
                .iter()
                .filter(|(a, _)| key_eq(doc.key(a), name))
                .find_map(|(a, _)| flaw_at(a.line(), false));
            let mut flaws = Flaws::NONE;
            for f in [flaw, address_flaw].into_iter().flatten() {
                flaws = flaws.with(f);
            }
            if inherited(e.line()) {
                flaws = flaws.with(Flaw::Default);
            }
            workers.push(Worker {
                name,
                active: python_bool(first_line(doc, e)).unwrap_or(false),
                address: address.map(|a| first_line(doc, a)),
                flaws,
            });
        }
        let other_addresses = usable
            .filter(|a| !workers.iter().any(|w| key_eq(w.name, doc.key(a))))
            .map(|a| (doc.key(a), first_line(doc, a)))
            .collect();
        self.led_by(hostname, workers, other_addresses, flagged)
    }
}

/// The error of a command that would use flagged lines ([`Config::flagged`]): each named
/// (file:line and why), in file order, the hints said once each; nothing was sent or changed.
pub fn refuse_flagged(flagged: &[&Flagged]) -> Error {
    let flagged = &crate::cluster::flagged::each_line(flagged.iter().copied())[..];
    let mut hints: Vec<&str> = Vec::new();
    for f in flagged {
        if !f.hint.is_empty() && !hints.contains(&f.hint.as_str()) {
            hints.push(&f.hint);
        }
    }
    let what = match flagged {
        [one] => format!("{}; nothing was sent or changed", one.message),
        many => {
            let lines: Vec<String> = many.iter().map(|f| format!("  {}", f.message)).collect();
            format!(
                "{} lines need fixing first (nothing was sent or changed):\n{}",
                many.len(),
                lines.join("\n")
            )
        }
    };
    Error::usage(what).with_hint(hints.join(" "))
}
