//! What `reboot` and `shutdown` share: choosing the units (the leader apart, last, and only when
//! named), the `--dry-run` plan, the confirmation, and the end (the `--json` document and the exit
//! status: 1 when any unit did not accept).

use crate::cli::UnitSelection;
use crate::cluster::{Cluster, Reach};
use crate::context::Context;
use crate::error::{Error, Kind, Result};
use crate::output::schema::{ActionPlan, PlannedAction};
use crate::output::{self, Narrator};
use crate::remote::{Outcome, Remote, plan_action, refuse_flagged, select_units};

/// One power action, in words and on the wire.
pub struct Power {
    /// The command (`reboot`, `shutdown`), as `--json` names it.
    pub command: &'static str,
    /// `Reboot`, `Shut down`: the question's verb.
    pub verb: &'static str,
    /// `rebooted`, `shut down`.
    pub done: &'static str,
    /// The web API's request, for plans.
    pub http: &'static str,
    /// The SSH command, for plans.
    pub ssh: &'static str,
}

/// The workers to act on, and the leader apart (only when named: it goes last, since acting on
/// it first would cut the others off).
/// `named`: the units named, or those `--experiment` picked ([`super::named_units`]).
pub fn chosen(
    cluster: &Cluster,
    select: &UnitSelection,
    named: &[String],
    power: &Power,
) -> Result<(Vec<String>, Vec<String>)> {
    let units = if select.all {
        cluster
            .workers
            .iter()
            .filter(|w| !cluster.is_leader(w.name))
            .map(|w| w.name.to_string())
            .collect()
    } else if named.is_empty() {
        let c = power.command;
        return Err(
            Error::usage(format!("name the units to {c}, or use --all")).with_hint(format!(
                "e.g. `pio {c} pio02`, `pio {c} 'pio[01-08]'`, `pio {c} --all`"
            )),
        );
    } else {
        select_units(cluster, named)?
    };
    refuse_flagged(cluster, &units, select.all.then_some(false))?;
    let (leader, workers) = units.into_iter().partition(|u| cluster.is_leader(u));
    Ok((workers, leader))
}

/// `--dry-run`: where each action would go, by the rule every transport follows, and how.
pub fn dry_run<'a>(
    ctx: &Context,
    cluster: &Cluster,
    remote: &Remote,
    units: impl Iterator<Item = &'a String>,
    power: &Power,
) -> Result<()> {
    let plan: Vec<PlannedAction> = units
        .map(|unit| {
            let reach = cluster.reach(unit);
            let address = match reach {
                Reach::Mdns => format!("{} (mDNS)", reach.host(unit)),
                _ => reach.host(unit),
            };
            PlannedAction {
                unit: unit.clone(),
                address,
                action: plan_action(remote.via(), power.http, power.ssh),
            }
        })
        .collect();
    if ctx.json {
        return output::json_data(&ActionPlan {
            command: power.command,
            dry_run: true,
            units: plan,
        })
        .map_err(super::stdout_error);
    }
    let text: String = plan
        .iter()
        .map(|p| {
            format!(
                "would {} {} at {}: {}\n",
                power.verb.to_lowercase(),
                p.unit,
                p.address,
                p.action
            )
        })
        .collect();
    Narrator::new(ctx).say(&format!("Dry run: nothing was {}.", power.done));
    output::data(&text).map_err(super::stdout_error)
}

/// `--yes`, else the operator's answer on a terminal; without one, a refusal (exit 5).
pub fn confirmed(ctx: &Context, yes: bool, names: &[&str], power: &Power) -> Result<bool> {
    let question = format!(
        "{} {} ({})?",
        power.verb,
        output::count(names.len(), "unit"),
        names.join(", ")
    );
    super::confirmed(ctx, yes, &question, power.command)
}

/// The end of a power action that every unit was asked: what was asked (or the units that did
/// not accept, on stderr, and exit status 1).
pub fn report_failed(
    ctx: &Context,
    count: usize,
    outcomes: &[Outcome],
    power: &Power,
) -> Result<()> {
    let failed = Outcome::failed(outcomes);
    if failed.is_empty() {
        Narrator::new(ctx).say(&format!(
            "Asked {} to {}.",
            output::count(count, "unit"),
            power.verb.to_lowercase()
        ));
        return Ok(());
    }
    output::error_line(
        ctx,
        &format!(
            "{} of {} did not accept the {}: {}",
            failed.len(),
            output::count(count, "unit"),
            power.command,
            failed.join(", ")
        ),
    );
    Err(Error::reported(Kind::Failed))
}

/// Asks every worker at once (`fanout` at a time), each result printed as it arrives (a
/// progress bar on a terminal).
pub fn fan_out(
    ctx: &Context,
    workers: &[String],
    fanout: u16,
    doing: &str,
    act: impl Fn(&str) -> Outcome + Sync,
) -> Vec<Outcome> {
    fan_out_with(ctx, workers, fanout, doing, act, Outcome::describe)
}

/// [`fan_out`] of any action, each result said by `describe`.
pub fn fan_out_with<T: Send>(
    ctx: &Context,
    units: &[String],
    fanout: u16,
    doing: &str,
    act: impl Fn(&str) -> T + Sync,
    describe: impl Fn(&T) -> String,
) -> Vec<T> {
    let progress = crate::output::progress::Progress::bar(ctx, units.len(), doing);
    let results = crate::transport::fanout::run(
        units,
        usize::from(fanout),
        |u| act(u),
        |_, r: &T| {
            progress.inc();
            progress.line(&describe(r));
        },
    );
    progress.finish();
    results
}
