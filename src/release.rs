//! What each Pioreactor release needs from pio, in one table.
//!
//! A cluster is rarely all one release: a lab updates its leader and some workers, not all. pio
//! learns each unit's release from the unit (its web API's `/unit_api/versions/app`, else
//! `pio version` over SSH) and asks [`Needs`] what to do. Commands never compare versions: every
//! boundary is a row of [`SINCE`], read from Pioreactor's own sources and changelog.

use std::cmp::Ordering;
use std::fmt;

/// A Pioreactor release: calendar versioning `YY.M.D`, maybe with a suffix (`rc0`, `.dev0`,
/// `.post0`). A pre-release of a version is treated as that version: the change it names is in
/// it already.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Release {
    parts: [u32; 3],
    text: String,
}

impl Halt {
    /// The command, over SSH.
    pub fn command(self) -> &'static str {
        match self {
            Halt::KillAllJobs => "pio kill --all-jobs",
            Halt::KillAll => "pio kill --all",
        }
    }
}

impl Release {
    /// Reads a version as `pio version` or `/unit_api/versions/app` print it (surrounding blanks
    /// allowed). `None` for anything that is not `YY.M` or `YY.M.D...`.
    pub fn parse(text: &str) -> Option<Release> {
        let bare = text.trim();
        // What a unit says is kept only when it is a plain version: digits and dots, then at
        // most a short suffix of letters, digits, `.`, `+` and `-` (rc0, .dev0, .post0).
        if bare.is_empty()
            || bare.len() > 32
            || !bare
                .bytes()
                .all(|b| b.is_ascii_alphanumeric() || b"+-.".contains(&b))
        {
            return None;
        }
        let mut parts = [0u32; 3];
        let mut fields = bare.split('.');
        for (i, slot) in parts.iter_mut().enumerate() {
            let Some(field) = fields.next() else {
                // YY.M is enough; the day defaults to 0.
                if i < 2 {
                    return None;
                }
                break;
            };
            let digits: String = field.chars().take_while(char::is_ascii_digit).collect();
            if digits.is_empty() || digits.len() > 4 {
                return None;
            }
            // Only the last numeric field may carry a suffix (26.4.0rc1, 24.2.25.post0).
            let suffixed = digits.len() < field.len();
            *slot = digits.parse().ok()?;
            if suffixed {
                break;
            }
        }
        if !(15..=99).contains(&parts[0]) || !(1..=12).contains(&parts[1]) {
            return None;
        }
        Some(Release {
            parts,
            text: bare.to_string(),
        })
    }

    const fn at(year: u32, month: u32, day: u32) -> Since {
        Since([year, month, day])
    }

    fn reached(&self, since: Since) -> bool {
        self.parts >= since.0
    }

    pub fn as_str(&self) -> &str {
        &self.text
    }

    /// What a unit of this release needs.
    pub fn needs(&self) -> Needs {
        Needs {
            ssh_user: if self.reached(SINCE.pioreactor_user) {
                "pioreactor"
            } else {
                "pi"
            },
            unit_config: if self.reached(SINCE.unit_owns_unit_config) {
                UnitConfig::OwnedByUnit
            } else {
                UnitConfig::FromLeader
            },
            time_source: if self.reached(SINCE.cluster_join) {
                TimeSource::Join
            } else if self.reached(SINCE.chrony_line) {
                TimeSource::DateAndChronyLine
            } else {
                TimeSource::Date
            },
            inventory: if self.reached(SINCE.database_inventory) {
                InventoryPlace::LeaderDatabase
            } else {
                InventoryPlace::ConfigIni
            },
            model: if self.reached(SINCE.model_on_unit) {
                ModelOwner::Unit
            } else if self.reached(SINCE.database_inventory) {
                ModelOwner::Leader
            } else {
                ModelOwner::None
            },
            halt: if self.reached(SINCE.kill_all_jobs) {
                Halt::KillAllJobs
            } else {
                Halt::KillAll
            },
            blink: self.reached(SINCE.blink),
            led_pin: if self.reached(SINCE.gpio_yaml) {
                LedPin::HardwareYaml
            } else {
                LedPin::Bcm23
            },
            clock: if self.reached(SINCE.utc_clock) {
                ClockSync::WebApi
            } else if self.reached(SINCE.chrony_line) {
                ClockSync::ChronyElseDate
            } else {
                ClockSync::Date
            },
            web_api: self.reached(SINCE.web_api),
            health: self.reached(SINCE.health),
            repair: self.reached(SINCE.repair),
            model_command: if self.reached(SINCE.model_on_unit) {
                ModelCommand::Model
            } else {
                ModelCommand::UpdateModel
            },
            archive_api: self.reached(SINCE.system_archive),
        }
    }
}

impl Ord for Release {
    fn cmp(&self, other: &Self) -> Ordering {
        self.parts.cmp(&other.parts)
    }
}

impl PartialOrd for Release {
    fn partial_cmp(&self, other: &Self) -> Option<Ordering> {
        Some(self.cmp(other))
    }
}

impl fmt::Display for Release {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.text)
    }
}

impl serde::Serialize for Release {
    fn serialize<S: serde::Serializer>(&self, s: S) -> std::result::Result<S::Ok, S::Error> {
        s.serialize_str(&self.text)
    }
}

/// The first release with a change.
#[derive(Clone, Copy, Debug)]
struct Since([u32; 3]);

impl Since {
    /// The release just before `since` (`26.10` before `26.11`, `24.5.0` before `24.5.1`).
    fn before(since: Since) -> Since {
        match since.0 {
            [y, m, d] if d > 0 => Since([y, m, d - 1]),
            [y, m, _] if m > 1 => Since([y, m - 1, 0]),
            [y, _, _] => Since([y - 1, 12, 0]),
        }
    }

    fn release(self) -> Release {
        let [y, m, d] = self.0;
        Release {
            parts: self.0,
            text: format!("{y}.{m}.{d}"),
        }
    }
}

/// As people write a release: `26.5`, `25.8.14`.
impl fmt::Display for Since {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let [y, m, d] = self.0;
        match d {
            0 => write!(f, "{y}.{m}"),
            _ => write!(f, "{y}.{m}.{d}"),
        }
    }
}

/// What commands name by the release that brought it, in plans and messages.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Feature {
    /// `pio repair` and its web API task.
    Repair,
    /// The web API's update task (`cluster update`).
    UpdateTask,
    /// The inventory in the leader's database, with each worker's model and experiment.
    LeaderDatabase,
    /// A unit that owns its `unit_config.ini`.
    UnitOwnsUnitConfig,
}

/// The first release with `feature`, as people write it.
pub fn first_with(feature: Feature) -> String {
    match feature {
        Feature::Repair => SINCE.repair,
        Feature::UpdateTask => SINCE.update_task,
        Feature::LeaderDatabase => SINCE.database_inventory,
        Feature::UnitOwnsUnitConfig => SINCE.unit_owns_unit_config,
    }
    .to_string()
}

/// The spans of releases across which a new worker's setup differs (the config files it is
/// given, how it gets the leader's time), newest first: each span's name, as people write it
/// (`26.4 to 26.10`), and a release in it.
pub fn setup_spans() -> Vec<(String, Release)> {
    let starts = [
        SINCE.cluster_join,
        SINCE.unit_owns_unit_config,
        SINCE.chrony_line,
    ];
    let mut spans: Vec<(String, Release)> = starts
        .iter()
        .enumerate()
        .map(|(i, &start)| {
            let name = match i {
                0 => format!("{start} and later"),
                _ => format!("{start} to {}", Since::before(starts[i - 1])),
            };
            (name, start.release())
        })
        .collect();
    let oldest = starts[starts.len() - 1];
    spans.push((format!("before {oldest}"), Since::before(oldest).release()));
    spans
}

/// The releases where what a unit needs changed (Pioreactor's CHANGELOG and sources).
struct Boundaries {
    /// The login is `pioreactor` (before: `pi`).
    pioreactor_user: Since,
    /// `pio kill --all-jobs` and `pio blink` exist (21.5 has `pio kill --all` and no blink).
    kill_all_jobs: Since,
    blink: Since,
    /// The inventory is the leader's database, which keeps each worker's model.
    database_inventory: Since,
    /// The Python add gives the worker the leader as its chrony source
    /// (`server <leader_address> iburst prefer` in `/etc/chrony/chrony.conf`).
    chrony_line: Since,
    /// The unit's web API (`/unit_api/...`).
    web_api: Since,
    /// `/unit_api/health`.
    health: Since,
    /// `pio repair` and `POST /unit_api/system/repair` (ownership, permissions, services).
    repair: Since,
    /// `GET /unit_api/system/utc_clock` (the unit's clock) and `POST` (a worker syncs from its
    /// chrony source: `chronyd -q`).
    utc_clock: Since,
    /// The LED's pin is named by the unit's hardware description (`gpio.yaml`, `pcb_led_pin`).
    gpio_yaml: Since,
    /// Each unit owns its `unit_config.ini`; the leader keeps snapshots and pulls them.
    unit_owns_unit_config: Since,
    /// `pio cluster join --leader-time T [--model-name M --model-version V]` on the unit: it sets
    /// the clock, writes its chrony source and reports its model.
    cluster_join: Since,
    /// The unit keeps its model (`workers model get|set` replaces `update-model`).
    model_on_unit: Since,
    /// The unit's web API exports `~/.pioreactor` as a zip that names the unit
    /// (`GET /unit_api/zipped_dot_pioreactor` with `pioreactor_export_metadata.json`) and imports
    /// one (`POST /unit_api/import_zipped_dot_pioreactor`, which refuses another unit's). 25.9.18
    /// exports without naming the unit, which pio cannot restore safely: SSH before 25.11.12.
    system_archive: Since,
    /// `POST /unit_api/system/update/app`: the update as a task of the web API (the earliest
    /// release whose web API pio has read it in; pio falls back to SSH on a 404 anyway).
    update_task: Since,
}

const SINCE: Boundaries = Boundaries {
    pioreactor_user: Release::at(22, 4, 0),
    kill_all_jobs: Release::at(21, 11, 0),
    blink: Release::at(21, 11, 0),
    database_inventory: Release::at(24, 4, 0),
    chrony_line: Release::at(24, 5, 1),
    web_api: Release::at(24, 9, 0),
    health: Release::at(25, 11, 0),
    utc_clock: Release::at(25, 1, 21),
    gpio_yaml: Release::at(25, 11, 10),
    unit_owns_unit_config: Release::at(26, 4, 0),
    cluster_join: Release::at(26, 11, 0),
    model_on_unit: Release::at(26, 11, 0),
    repair: Release::at(26, 5, 0),
    system_archive: Release::at(25, 11, 12),
    update_task: Release::at(25, 8, 14),
};

/// What a unit of one release needs (see [`Release::needs`]).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Needs {
    /// The SSH login when `~/.ssh/config` names none.
    pub ssh_user: &'static str,
    pub unit_config: UnitConfig,
    /// Where a leader of this release keeps its inventory.
    pub inventory: InventoryPlace,
    pub time_source: TimeSource,
    pub model: ModelOwner,
    pub halt: Halt,
    /// Whether `pio blink` exists (the Python stack's LED command).
    pub blink: bool,
    pub led_pin: LedPin,
    /// How `clock --sync` brings the unit to the leader's time.
    pub clock: ClockSync,
    pub web_api: bool,
    pub health: bool,
    pub model_command: ModelCommand,
    /// Whether `pio repair` (and the web API's `/unit_api/system/repair`) exists.
    pub repair: bool,
    /// Whether the unit's web API exports and imports `~/.pioreactor` as a zip that names the
    /// unit (`backup`, `restore`).
    pub archive_api: bool,
}

/// Where a leader keeps its inventory.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum InventoryPlace {
    /// `[cluster.inventory]` in config.ini.
    ConfigIni,
    /// The leader's database, behind its web API.
    LeaderDatabase,
}

/// Who owns a unit's `unit_config.ini`.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum UnitConfig {
    /// The leader's `config_<unit>.ini` is copied to the unit as its `unit_config.ini`.
    FromLeader,
    /// The unit's own file; the leader's `config_<unit>.ini` is only a snapshot of it, which
    /// `sync-configs --specific` refreshes from the unit. Never sent.
    OwnedByUnit,
}

/// How a joining unit gets the leader's time.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum TimeSource {
    /// `sudo date` once: the unit has no lasting time source from the leader.
    Date,
    /// `sudo date`, and the leader as chrony source (one line in `/etc/chrony/chrony.conf`).
    DateAndChronyLine,
    /// `pio cluster join --leader-time T` does both.
    Join,
}

/// Where a worker's model lives.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ModelOwner {
    /// Nowhere (the config.ini era).
    None,
    /// A row of the leader's database.
    Leader,
    /// The unit, which reports it to the leader (`cluster join --model-name ...`).
    Unit,
}

/// How a unit's jobs are halted.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Halt {
    /// `pio kill --all-jobs`.
    KillAllJobs,
    /// `pio kill --all` (21.5: before `--all-jobs` existed).
    KillAll,
}

/// How a unit's clock is brought to the leader's (`clock --sync`).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ClockSync {
    /// `POST /unit_api/system/utc_clock`: the worker stops chrony, runs `chronyd -q` against its
    /// sources (the leader, as its add made it) and starts chrony again; over SSH as
    /// [`ClockSync::ChronyElseDate`].
    WebApi,
    /// Over SSH: `chronyd -q` where chrony has the leader as a source (the add of 24.5.1 and
    /// later writes it), else `date --set` to the leader's time.
    ChronyElseDate,
    /// Over SSH: `date --set` to the leader's time (no release before 24.5.1 made the leader a
    /// chrony source).
    Date,
}

impl ClockSync {
    /// The way over SSH, for a unit whose web API is not to be used or does not answer.
    pub fn over_ssh(self) -> ClockSync {
        match self {
            ClockSync::WebApi => ClockSync::ChronyElseDate,
            other => other,
        }
    }
}

/// Where the identify LED's pin is named.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum LedPin {
    /// BCM 23, fixed in the software.
    Bcm23,
    /// `pcb_led_pin` of the unit's hardware description.
    HardwareYaml,
}

/// The Python CLI's spelling for a worker's model on the leader.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ModelCommand {
    /// `pio workers update-model <unit> -m M -v V`.
    UpdateModel,
    /// `pio workers model set <unit> -m M -v V`.
    Model,
}

/// A unit's release as pio learnt it, or why it could not.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Learnt {
    Known(Release),
    Unknown(String),
}

impl Learnt {
    pub fn release(&self) -> Option<&Release> {
        match self {
            Learnt::Known(r) => Some(r),
            Learnt::Unknown(_) => None,
        }
    }
}

/// What a unit whose release is unknown is treated as: the leader's own release when pio knows
/// it (a cluster is mostly updated together), else the era's newest behaviour for the database
/// era and 24.3's for the config.ini era.
pub fn assumed(leader: Option<&Release>, database_era: bool) -> Release {
    match leader {
        Some(r) => r.clone(),
        None if database_era => Release::parse(NEWEST_KNOWN).expect("a release"),
        None => Release::parse(LAST_CONFIG_ERA).expect("a release"),
    }
}

/// The newest release this table was checked against.
pub const NEWEST_KNOWN: &str = "26.11.1";
/// The last release whose inventory is config.ini.
pub const LAST_CONFIG_ERA: &str = "24.3.10";

/// Which of two units to update first so that no worker is older than its leader
/// (Pioreactor issues #511, #594): `Some(advice)` when `worker` differs from `leader`.
pub fn mismatch_advice(worker: &Release, leader: &Release) -> Option<String> {
    match worker.cmp(leader) {
        Ordering::Equal => None,
        Ordering::Less => Some(format!(
            "runs {worker}, older than the leader's {leader}: update this worker to {leader}"
        )),
        Ordering::Greater => Some(format!(
            "runs {worker}, newer than the leader's {leader}: update the leader last, once every \
             worker runs {worker}"
        )),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn setup_spans_are_named_by_their_bounds_and_each_sets_a_worker_up_its_own_way() {
        let spans = setup_spans();
        let names: Vec<&str> = spans.iter().map(|(n, _)| n.as_str()).collect();
        assert_eq!(
            names,
            [
                "26.11 and later",
                "26.4 to 26.10",
                "24.5.1 to 26.3",
                "before 24.5.1"
            ]
        );
        for pair in spans.windows(2) {
            let (newer, older) = (pair[0].1.needs(), pair[1].1.needs());
            assert!(pair[0].1 > pair[1].1);
            assert!(
                (newer.unit_config, newer.time_source) != (older.unit_config, older.time_source),
                "{} and {} set a worker up alike",
                pair[0].0,
                pair[1].0
            );
        }
    }

    #[test]
    fn features_are_named_by_their_first_release() {
        assert_eq!(first_with(Feature::Repair), "26.5");
        assert_eq!(first_with(Feature::UpdateTask), "25.8.14");
        assert_eq!(first_with(Feature::LeaderDatabase), "24.4");
        assert_eq!(first_with(Feature::UnitOwnsUnitConfig), "26.4");
    }

    fn r(s: &str) -> Release {
        Release::parse(s).unwrap_or_else(|| panic!("{s} parses"))
    }

    #[test]
    fn versions_parse_as_the_python_stack_prints_them() {
        assert_eq!(r("26.11.1").parts, [26, 11, 1]);
        assert_eq!(r(" 24.2.25.post0\n").parts, [24, 2, 25]);
        assert_eq!(r("26.4.0rc1").parts, [26, 4, 0]);
        assert_eq!(r("23.11.23.dev0").parts, [23, 11, 23]);
        assert_eq!(r(" 25.1.21 ").as_str(), "25.1.21");
        assert_eq!(r("22.7").parts, [22, 7, 0]);
        for bad in [
            "",
            "26",
            "x.y.z",
            "26.13.1",
            "Pioreactor 26.1",
            "1.2.3",
            "26..1",
            "-26.1.1",
        ] {
            assert_eq!(Release::parse(bad), None, "{bad}");
        }
        assert!(r("26.11.0") > r("26.7.2"));
        assert!(r("26.10.1") < r("26.11.0"));
        assert!(r("24.10.1") > r("24.9.26"));
    }

    #[test]
    fn each_boundary_is_where_the_changelog_puts_it() {
        let needs = |s: &str| r(s).needs();
        assert_eq!(needs("21.11.0").ssh_user, "pi");
        assert_eq!(needs("22.3.0").ssh_user, "pi");
        assert_eq!(needs("22.4.0").ssh_user, "pioreactor");
        assert_eq!(needs("21.5.0").halt, Halt::KillAll);
        assert!(!needs("21.5.0").blink);
        assert_eq!(needs("21.11.0").halt, Halt::KillAllJobs);
        assert!(needs("21.11.0").blink);

        assert_eq!(needs("24.5.0").time_source, TimeSource::Date);
        assert_eq!(needs("24.5.1").time_source, TimeSource::DateAndChronyLine);
        assert_eq!(needs("26.7.2").time_source, TimeSource::DateAndChronyLine);
        assert_eq!(needs("26.10.1").time_source, TimeSource::DateAndChronyLine);
        assert_eq!(needs("26.11.0").time_source, TimeSource::Join);

        assert_eq!(needs("26.3.3").unit_config, UnitConfig::FromLeader);
        assert_eq!(needs("26.4.0").unit_config, UnitConfig::OwnedByUnit);
        assert_eq!(needs("26.4.0rc1").unit_config, UnitConfig::OwnedByUnit);

        assert_eq!(needs("24.3.10").inventory, InventoryPlace::ConfigIni);
        assert_eq!(needs("24.4.3").inventory, InventoryPlace::LeaderDatabase);
        assert_eq!(needs("24.3.10").model, ModelOwner::None);
        assert_eq!(needs("24.4.3").model, ModelOwner::Leader);
        assert_eq!(needs("26.10.0").model, ModelOwner::Leader);
        assert_eq!(needs("26.11.0").model, ModelOwner::Unit);
        assert_eq!(needs("26.10.0").model_command, ModelCommand::UpdateModel);
        assert_eq!(needs("26.11.1").model_command, ModelCommand::Model);

        assert_eq!(needs("24.5.0").clock, ClockSync::Date);
        assert_eq!(needs("24.5.1").clock, ClockSync::ChronyElseDate);
        assert_eq!(needs("24.12.10").clock, ClockSync::ChronyElseDate);
        assert_eq!(needs("25.1.21").clock, ClockSync::WebApi);
        assert_eq!(needs("26.11.1").clock.over_ssh(), ClockSync::ChronyElseDate);
        assert!(!needs("24.8.22").web_api);
        assert!(needs("24.9.19").web_api);
        assert!(!needs("25.9.18").health);
        assert!(needs("25.11.12").health);
        assert_eq!(needs("25.9.18").led_pin, LedPin::Bcm23);
        assert_eq!(needs("25.11.12").led_pin, LedPin::HardwareYaml);
        assert!(!needs("25.9.18").archive_api);
        assert!(!needs("25.11.10").archive_api);
        assert!(needs("25.11.12").archive_api);
        assert!(needs("26.11.1").archive_api);
    }

    #[test]
    fn an_unknown_release_is_the_leaders_else_the_eras() {
        assert_eq!(assumed(Some(&r("25.1.21")), true), r("25.1.21"));
        assert_eq!(assumed(None, true), r(NEWEST_KNOWN));
        assert_eq!(assumed(None, false), r(LAST_CONFIG_ERA));
        // The safe direction: an unknown database-era unit is never sent a unit_config.ini.
        assert_eq!(
            assumed(None, true).needs().unit_config,
            UnitConfig::OwnedByUnit
        );
    }

    #[test]
    fn mismatches_say_to_update_workers_first() {
        assert_eq!(mismatch_advice(&r("26.11.1"), &r("26.11.1")), None);
        let older = mismatch_advice(&r("26.7.2"), &r("26.11.1")).unwrap();
        assert!(older.contains("older than the leader's 26.11.1"), "{older}");
        assert!(older.contains("update this worker"), "{older}");
        let newer = mismatch_advice(&r("26.11.1"), &r("26.7.2")).unwrap();
        assert!(newer.contains("update the leader last"), "{newer}");
    }
}
