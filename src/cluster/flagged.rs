//! Lines of the inventory or of `[cluster.addresses]` that pio cannot use (a key that is no
//! hostname, a state Python cannot read, an address that is none, one unit written twice). One
//! odd line fails only the commands that would use it: listings show it flagged, edits of other
//! units go ahead, and a command that would contact its unit or pick it by state stops before
//! anything is sent.

use super::{Cluster, name::same};

/// What is wrong with a flagged line.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Flaw {
    /// The key is no hostname (`testing_unit`): no unit can be reached by it.
    Name,
    /// The inventory value is no yes/no value Python reads (`bareline`, `pio03=maybe`).
    State,
    /// The `[cluster.addresses]` value is no address (`pio02=`), or spans several lines.
    Address,
    /// The unit is written twice, in two spellings (`Pio01`, `pio01`): which line is meant?
    Duplicate,
    /// Nothing wrong to Python: the line is `[DEFAULT]`'s, which every section reads. pio uses
    /// it, but edits only its own section (it can set the unit's state, not remove or rename it).
    Default,
}

impl Flaw {
    /// The stable word for `--json`.
    pub fn as_str(self) -> &'static str {
        match self {
            Flaw::Name => "name",
            Flaw::State => "state",
            Flaw::Address => "address",
            Flaw::Duplicate => "duplicate",
            Flaw::Default => "default",
        }
    }
}

/// The flaws of one worker's lines (its inventory line and its address line).
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Flaws(u8);

impl Flaws {
    pub const NONE: Flaws = Flaws(0);
    const ORDER: [Flaw; 5] = [
        Flaw::Name,
        Flaw::State,
        Flaw::Address,
        Flaw::Duplicate,
        Flaw::Default,
    ];

    fn bit(flaw: Flaw) -> u8 {
        1 << Flaws::ORDER.iter().position(|f| *f == flaw).unwrap_or(0)
    }

    pub fn with(self, flaw: Flaw) -> Flaws {
        Flaws(self.0 | Flaws::bit(flaw))
    }

    pub fn has(self, flaw: Flaw) -> bool {
        self.0 & Flaws::bit(flaw) != 0
    }

    /// The one to name first: what keeps pio from the line most.
    pub fn first(self) -> Option<Flaw> {
        Flaws::ORDER.into_iter().find(|f| self.has(*f))
    }

    /// Whether anything is wrong (a `[DEFAULT]` line is nothing wrong).
    pub fn any_wrong(self) -> bool {
        self.first().is_some_and(|f| f != Flaw::Default)
    }
}

impl From<Flaw> for Flaws {
    fn from(flaw: Flaw) -> Flaws {
        Flaws::NONE.with(flaw)
    }
}

/// One flagged line: where it is, what it is about and how to fix it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Flagged {
    pub flaw: Flaw,
    /// The key as written (shown: escaped, and cut short when long).
    pub key: String,
    /// The unit the line is about, when its key is a hostname (not for [`Flaw::Name`]).
    pub unit: Option<String>,
    /// Whether the line is in the inventory (else `[cluster.addresses]` or `[DEFAULT]`'s).
    pub in_inventory: bool,
    /// The inventory line's state, when Python reads one.
    pub active: Option<bool>,
    /// The value on the key's line, as written ("" for a bare key; shown as the key is).
    pub value: String,
    /// 0-based index of the line.
    pub line: usize,
    /// `<file>:<line>: what is wrong`.
    pub message: String,
    /// How to fix it.
    pub hint: String,
}

/// Each flagged line once, in file order: a `[DEFAULT]` line is flagged in each section that
/// reads it, with one message.
pub fn each_line<'f>(flagged: impl IntoIterator<Item = &'f Flagged>) -> Vec<&'f Flagged> {
    let mut lines: Vec<&Flagged> = flagged.into_iter().collect();
    lines.sort_by_key(|f| f.line);
    lines.dedup_by(|a, b| a.message == b.message);
    lines
}

impl Cluster<'_> {
    /// The flagged lines about any of `units` that a command reaching them would use: their
    /// addresses, and a unit written twice. A bad state is no obstacle to reaching a unit named,
    /// nor a line of `[DEFAULT]`.
    pub fn flaws_of<S: AsRef<str>>(&self, units: &[S]) -> Vec<&Flagged> {
        self.flagged
            .iter()
            .filter(|f| matches!(f.flaw, Flaw::Name | Flaw::Address | Flaw::Duplicate))
            .filter(|f| {
                f.unit
                    .as_deref()
                    .is_some_and(|u| units.iter().any(|n| same(u, n.as_ref())))
            })
            .collect()
    }

    /// The flagged inventory lines that a command picking workers from the whole inventory
    /// (`--all`; the active ones when `active_only`) cannot decide about: a key that is no
    /// hostname (unless inactive and only active ones are picked), a state Python cannot read
    /// (when picking by state). Together with [`Cluster::flaws_of`] the picked units.
    pub fn flaws_of_all(&self, active_only: bool) -> Vec<&Flagged> {
        self.flagged
            .iter()
            .filter(|f| f.in_inventory)
            .filter(|f| match f.flaw {
                Flaw::Name => !(active_only && f.active == Some(false)),
                Flaw::State => active_only,
                Flaw::Address | Flaw::Duplicate | Flaw::Default => false,
            })
            .collect()
    }

    /// The flagged lines about the unit with this name.
    pub fn flagged_for(&self, name: &str) -> impl Iterator<Item = &Flagged> {
        self.flagged
            .iter()
            .filter(move |f| f.unit.as_deref().is_some_and(|u| same(u, name)))
    }
}
