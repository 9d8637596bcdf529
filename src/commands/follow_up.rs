//! Carrying out what an inventory change leaves the units to do ([`FollowUp`]): the same steps
//! whichever era the inventory is in, since the inventory decided which are needed.

use crate::timeouts::Deadline;

use crate::cluster::Cluster;
use crate::cluster::name::same;
use crate::commands::{release_of, unit_config_path, unknown_release};
use crate::config::store;
use crate::context::Context;
use crate::error::Result;
use crate::inventory::{FollowUp, Inventory};
use crate::output::Narrator;
use crate::remote::{Remote, commands, paths, plan_action};

/// A follow-up that did not work, and why.
pub struct Failure {
    pub work: FollowUp,
    pub why: String,
}

/// Units no longer in the inventory, reached where they were: (name, address line).
pub type Gone = [(String, Option<String>)];

/// Carries out `work` in order (each unit's share within one `--timeout`), narrating each step;
/// with `dry_run`, says what would be done. Work that waits for a reboot is left to the command.
pub fn carry_out(
    ctx: &Context,
    inventory: &Inventory,
    remote: &Remote,
    work: &[FollowUp],
    gone: &Gone,
    dry_run: bool,
) -> Result<Vec<Failure>> {
    let narrator = Narrator::new(ctx);
    let mut cluster = inventory.cluster(&ctx.hostname)?;
    for (name, address) in gone {
        cluster.other_addresses.retain(|(n, _)| !same(n, name));
        if let Some(a) = address {
            cluster.other_addresses.push((name, a));
        }
    }
    // The inventory change refused these before it was made; work without a change (halting
    // the jobs of a worker that already was inactive) stops here, before anything is sent.
    let units: Vec<&str> = work
        .iter()
        .filter(|w| !w.after_reboot())
        .map(FollowUp::unit)
        .collect();
    crate::remote::refuse_flagged(&cluster, &units, None)?;
    let mut failures = Vec::new();
    let mut deadlines: Vec<(&str, Deadline)> = Vec::new();
    for w in work.iter().filter(|w| !w.after_reboot()) {
        let unit = w.unit();
        let deadline = match deadlines.iter().find(|(u, _)| same(u, unit)) {
            Some((_, d)) => *d,
            None => {
                let d = Deadline::after(remote.timeout());
                deadlines.push((unit, d));
                d
            }
        };
        if dry_run {
            if let Some(plan) = planned(w, remote) {
                narrator.say(&plan);
            }
            continue;
        }
        let step = Step {
            ctx,
            inventory,
            remote,
            deadline,
            cluster: &cluster,
            narrator: &narrator,
        };
        if let Err(why) = step.run(w)? {
            failures.push(Failure {
                work: w.clone(),
                why,
            });
        }
    }
    Ok(failures)
}

/// Creates the `config_<unit>.ini` files of `work` ([`FollowUp::CreateUnitConfig`]), alone.
/// With `dry_run`, says which it would create.
pub fn create_unit_configs(
    ctx: &Context,
    work: &[FollowUp],
    progress: &crate::output::progress::Progress,
    dry_run: bool,
) -> Result<()> {
    for w in work {
        let FollowUp::CreateUnitConfig { unit } = w else {
            continue;
        };
        if dry_run {
            let path = unit_config_path(ctx, unit);
            if path.symlink_metadata().is_err() {
                Narrator::new(ctx).say(&format!(
                    "Would create {} ({unit}'s own settings).",
                    path.display()
                ));
            }
        } else if let Some(created) = create_unit_config(ctx, unit)? {
            progress.line(&format!("created {}", created.display()));
        }
    }
    Ok(())
}

/// `config_<unit>.ini` beside config.ini, created empty but for a comment when missing, as the
/// config.ini era's `add-pioreactor` did: the worker's own settings live there.
fn create_unit_config(ctx: &Context, unit: &str) -> Result<Option<std::path::PathBuf>> {
    let path = unit_config_path(ctx, unit);
    let text = format!(
        "# Settings for {unit} only: they override config.ini there (pio copies this file to {unit} as unit_config.ini).\n"
    );
    let config = store::write_target(&ctx.config_path)?;
    Ok(store::create_if_missing(&path, &text, &config)?.then_some(path))
}

/// What a follow-up would do, for `--dry-run`.
fn planned(work: &FollowUp, remote: &Remote) -> Option<String> {
    match work {
        FollowUp::PushConfig { unit, .. } => {
            Some(format!("Would copy the new config.ini to {unit} over SSH."))
        }
        FollowUp::HaltJobs { unit } => {
            let how = plan_action(
                remote.via(),
                "POST /unit_api/jobs/stop/all",
                commands::HALT_JOBS,
            );
            Some(format!("Would halt every job on {unit}: {how}."))
        }
        _ => None,
    }
}

/// One follow-up, with what it needs.
struct Step<'a> {
    ctx: &'a Context,
    inventory: &'a Inventory,
    remote: &'a Remote<'a>,
    /// The unit's share of `--timeout`: every action gets what is left of it.
    deadline: Deadline,
    cluster: &'a Cluster<'a>,
    narrator: &'a Narrator,
}

impl Step<'_> {
    /// The remote, with what is left of the unit's time.
    fn remote(&self) -> Remote<'_> {
        self.remote.until(self.deadline.instant())
    }

    /// `Ok(Err(why))`: the unit's step failed; `Err`: pio itself could not go on.
    fn run(&self, work: &FollowUp) -> Result<std::result::Result<(), String>> {
        Ok(match work {
            FollowUp::CreateUnitConfig { unit } => {
                if let Some(created) = create_unit_config(self.ctx, unit)? {
                    self.narrator.say(&format!("created {}", created.display()));
                }
                Ok(())
            }
            FollowUp::PushConfig { unit, shared_only } => self.push_config(unit, *shared_only),
            FollowUp::HaltJobs { unit } => {
                let halted = self.remote().halt_jobs(self.cluster, unit);
                let said = halted.describe();
                halted
                    .result
                    .map(|_| self.narrator.say(&said))
                    .map_err(|e| format!("halting its jobs failed: {e}"))
            }
            FollowUp::Register { .. } | FollowUp::Join { .. } => Ok(()),
        })
    }

    /// config.ini as it is now, and the unit's own settings where its release takes them from
    /// the leader; a unit leaving the cluster gets config.ini alone (its own file is neither
    /// read nor sent).
    fn push_config(&self, unit: &str, shared_only: bool) -> std::result::Result<(), String> {
        let shared = self.inventory.config.render();
        let files = if shared_only {
            Ok(vec![(paths::SHARED_CONFIG, shared.as_bytes().to_vec())])
        } else {
            let (release, learnt) =
                release_of(self.ctx, self.inventory, &self.remote(), self.cluster, unit);
            if let Some(w) = unknown_release(unit, &learnt, &release) {
                self.narrator.warn(&w);
            }
            crate::remote::files::files_for_unit(
                &self.ctx.config_path,
                shared,
                unit,
                learnt.release(),
            )
        };
        let files = files.map_err(|e| format!("nothing was copied to it: {}", e.message))?;
        let pushed = self.remote().push_files(self.cluster, unit, &files);
        let said = pushed.describe();
        pushed
            .result
            .map(|_| self.narrator.say(&said))
            .map_err(|e| format!("copying config.ini to it failed: {e}"))
    }
}
