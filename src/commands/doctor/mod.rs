//! `pio doctor`: the cluster problems operators get stuck on, each named with what was seen and
//! the exact command or edit that fixes it.

mod unit;

use unit::UnitProbe;

use std::time::{Duration, Instant};

use crate::cli::DoctorArgs;
use crate::cluster::name::same;
use crate::commands::{read_config, stdout_error};
use crate::config::Config;
use crate::context::Context;
use crate::error::{Error, Kind, Result};
use crate::inventory::Inventory;
use crate::output::schema::{Check, Verdict};
use crate::output::{self, progress::Progress, table};
use crate::remote::Via;
use crate::remote::select_units;
use crate::transport::{fanout, gpio};

/// Clocks further apart than this get a warning, and past `CLOCK_FAIL` a failure.
const CLOCK_WARN: f64 = crate::timeouts::CLOCK_TOLERANCE;
const CLOCK_FAIL: f64 = 60.0;

fn check(
    unit: &str,
    name: &'static str,
    verdict: Verdict,
    detail: String,
    fix: Option<String>,
) -> Check {
    Check {
        unit: unit.to_string(),
        check: name,
        verdict,
        detail,
        fix,
    }
}

pub fn run(ctx: &Context, args: &DoctorArgs) -> Result<()> {
    let mut checks = Vec::new();
    // This unit: its config.ini, its name, the inventory, its key pair, its LED.
    let Some(config) = config_check(ctx, &mut checks) else {
        return finish(ctx, args, &checks);
    };
    if let Ok((leader, _)) = config.leader(&ctx.hostname) {
        checks.push(leader_name(ctx, &config, leader));
    }
    let led = led(ctx, &config);
    let inventory = inventory_check(ctx, config, &mut checks);
    checks.push(key_pair(ctx));
    if let Some(led) = led {
        checks.push(check(&ctx.hostname, "led", led.0, led.1, led.2));
    }
    if let Some(inventory) = &inventory {
        checks.extend(unit_checks(ctx, args, inventory)?);
    }
    finish(ctx, args, &checks)
}

/// config.ini, read once: valid means every address it gives is one pio may use (checked
/// before any unit is asked).
fn config_check(ctx: &Context, checks: &mut Vec<Check>) -> Option<Config> {
    let here = &ctx.hostname;
    let read = read_config(ctx).and_then(|c| {
        c.leader(&ctx.hostname)?;
        Ok(c)
    });
    match read {
        Ok(c) => {
            let flagged = c.flagged(true);
            let detail = if !c.exists {
                format!("no {}: a single-unit cluster", ctx.config_path.display())
            } else if flagged.is_empty() {
                format!(
                    "{} (from {}): its topology and addresses are valid",
                    ctx.config_path.display(),
                    ctx.config_source
                )
            } else {
                format!(
                    "{} (from {}): its topology is valid; {} of its lines cannot be used (below)",
                    ctx.config_path.display(),
                    ctx.config_source,
                    flagged.len()
                )
            };
            checks.push(check(here, "config.ini", Verdict::Ok, detail, None));
            for e in c.unclosed() {
                let (message, hint) = (e.message.clone(), e.hint.clone());
                checks.push(check(here, "config.ini line", Verdict::Fail, message, hint));
            }
            // Each line pio cannot use, under its unit; the rest of the cluster is checked.
            for f in crate::cluster::flagged::each_line(&flagged) {
                // A [DEFAULT] line is Python's reading, not a mistake: a warning.
                let verdict = if f.flaw == crate::cluster::Flaw::Default {
                    Verdict::Warn
                } else {
                    Verdict::Fail
                };
                // (The key is shown already: escaped, and cut short when long.)
                let unit = f.unit.clone().unwrap_or_else(|| f.key.clone());
                let what = if f.in_inventory {
                    "inventory line"
                } else {
                    "address line"
                };
                let (message, hint) = (f.message.clone(), Some(f.hint.clone()));
                checks.push(check(&unit, what, verdict, message, hint));
            }
            Some(c)
        }
        Err(e) => {
            checks.push(check(here, "config.ini", Verdict::Fail, e.message, e.hint));
            None
        }
    }
}

/// The inventory, with every name in it checked, before any unit is contacted.
fn inventory_check(ctx: &Context, config: Config, checks: &mut Vec<Check>) -> Option<Inventory> {
    let here = &ctx.hostname;
    let opened = crate::commands::inventory_of(ctx, config)
        .and_then(|inv| inv.cluster(&ctx.hostname).map(drop).map(|()| inv));
    match opened {
        Ok(inv) => {
            let detail = format!("{}: {}", inv.place(), inv.why);
            checks.push(check(here, "inventory", Verdict::Ok, detail, None));
            Some(inv)
        }
        Err(e) => {
            checks.push(check(here, "inventory", Verdict::Fail, e.message, e.hint));
            None
        }
    }
}

/// Every unit, in parallel: a slow one never holds up the others.
fn unit_checks(ctx: &Context, args: &DoctorArgs, inventory: &Inventory) -> Result<Vec<Check>> {
    let timeout = Duration::from_secs_f64(args.timeout);
    let cluster = inventory.cluster(&ctx.hostname)?;
    let mut units: Vec<String> =
        if args.select.units.is_empty() && args.select.experiments.is_empty() {
            cluster.workers.iter().map(|w| w.name.to_string()).collect()
        } else {
            let named = crate::commands::named_units(
                inventory,
                args.select.units.clone(),
                &args.select.experiments,
            )?;
            select_units(&cluster, &named)?
        };
    // A unit whose lines cannot be used is not contacted: those lines are its checks.
    units.retain(|u| cluster.flaws_of(&[u]).is_empty());
    let remote = crate::commands::remote(ctx, &inventory.config, Via::Auto, timeout)?;
    let (_, port) = inventory.config.web_api()?;
    let leader_version =
        crate::inventory::python_stack_version(&crate::inventory::site_packages(ctx))
            .map(|(v, _)| v);
    let copies_inventory = inventory.units_keep_a_copy();
    let progress = Progress::bar(ctx, units.len(), "checking");
    let per_unit = fanout::run(
        &units,
        usize::from(args.fanout),
        |u| {
            let probe = UnitProbe {
                ctx,
                deadline: Instant::now() + timeout,
                remote: &remote,
                cluster: &cluster,
                unit: u,
                port,
                leader_version: leader_version.as_deref(),
                copies_inventory,
            };
            probe.run()
        },
        |_, _| progress.inc(),
    );
    progress.finish();
    Ok(per_unit.into_iter().flatten().collect())
}

/// Prints the report; the exit code follows the worst verdict.
fn finish(ctx: &Context, args: &DoctorArgs, checks: &[Check]) -> Result<()> {
    if ctx.json {
        output::json_data(&checks).map_err(stdout_error)?;
    } else {
        let cells: Vec<[String; 4]> = checks
            .iter()
            .map(|c| {
                [
                    c.unit.clone(),
                    c.check.to_string(),
                    c.verdict.as_str().to_string(),
                    c.detail.clone(),
                ]
            })
            .collect();
        let style = table::Style {
            boxed: ctx.stdout_is_terminal,
            color: ctx.color,
        };
        output::data_with(|out| {
            table::generic(&["unit", "check", "verdict", "detail"], &cells, style, out)?;
            // On a terminal, fixes wrap between words, never inside a command to copy.
            let width = if ctx.stdout_is_terminal {
                table::terminal_width()
            } else {
                None
            };
            for c in checks.iter().filter(|c| c.verdict != Verdict::Ok) {
                if let Some(fix) = &c.fix {
                    let line = format!(
                        "fix {} {}: {}",
                        c.unit,
                        c.check,
                        output::escape_controls(fix)
                    );
                    let line = match width {
                        Some(w) => output::wrap_keeping_commands(&line, w, "    "),
                        None => line,
                    };
                    writeln!(out, "{line}")?;
                }
            }
            Ok(())
        })
        .map_err(stdout_error)?;
    }
    let worst = checks
        .iter()
        .map(|c| c.verdict)
        .max()
        .unwrap_or(Verdict::Ok);
    let failed = worst == Verdict::Fail || (args.strict && worst == Verdict::Warn);
    if failed {
        let count = |v| checks.iter().filter(|c| c.verdict == v).count();
        if !ctx.quiet && !ctx.json {
            eprintln!(
                "doctor: {} failed, {}, {} ok",
                count(Verdict::Fail),
                crate::output::count(count(Verdict::Warn), "warning"),
                count(Verdict::Ok)
            );
        }
        return Err(Error::reported(Kind::Failed));
    }
    Ok(())
}

/// This unit's hostname against `leader_hostname`.
fn leader_name(ctx: &Context, config: &Config, leader: &str) -> Check {
    let here = &ctx.hostname;
    if same(leader, here) {
        return check(
            here,
            "leader name",
            Verdict::Ok,
            format!("this unit is {leader}, the leader"),
            None,
        );
    }
    check(
        here,
        "leader name",
        Verdict::Fail,
        format!("this unit is named '{here}', but leader_hostname in config.ini is '{leader}'"),
        Some(format!(
            "If this unit is the leader, set leader_hostname={here} in [cluster.topology] of {} and copy \
             it to the workers (`pio workers sync-configs --all`); or give it its old name back: \
             `sudo hostnamectl set-hostname {leader}`.",
            config.path.display()
        )),
    )
}

/// This leader's SSH key pair, which every worker must accept.
fn key_pair(ctx: &Context) -> Check {
    let ssh = ctx.home.join(".ssh");
    let found = ["id_ed25519", "id_ecdsa", "id_rsa"]
        .iter()
        .map(|k| ssh.join(k))
        .find(|k| k.exists() && k.with_extension("pub").exists());
    match found {
        Some(k) => check(
            &ctx.hostname,
            "ssh key",
            Verdict::Ok,
            format!("{} and .pub", k.display()),
            None,
        ),
        None => check(
            &ctx.hostname,
            "ssh key",
            Verdict::Warn,
            format!(
                "no key pair in {}: workers cannot be reached without a password",
                ssh.display()
            ),
            Some(format!(
                "ssh-keygen -t ed25519 -N '' -f {} (`pio workers add` installs it on each worker)",
                ssh.join("id_ed25519").display()
            )),
        ),
    }
}

/// The HAT's LED pin, on a Raspberry Pi only.
fn led(ctx: &Context, config: &Config) -> Option<(Verdict, String, Option<String>)> {
    // /proc/device-tree is root's link into sysfs: read by the one rule for files like any other.
    let model = crate::files::read_text(std::path::Path::new("/proc/device-tree/model"), 4096)
        .unwrap_or_default();
    if !model.contains("Raspberry Pi") {
        return None;
    }
    let pin = match crate::commands::local_led_pin(ctx, config) {
        Ok(p) => p.bcm,
        Err(e) => return Some((Verdict::Fail, e.message, e.hint)),
    };
    Some(match gpio::pin_available(pin) {
        Ok(_) => (Verdict::Ok, format!("BCM GPIO {pin} available"), None),
        Err(e) => (
            Verdict::Fail,
            format!("BCM GPIO {pin}: {e}"),
            Some(
                "Check the user is in the gpio group (`groups`), and [identify] led_bcm_pin."
                    .into(),
            ),
        ),
    })
}
