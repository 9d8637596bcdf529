//! `pio identify`: blink a unit's blue LED.

use std::sync::atomic::{AtomicBool, Ordering};
use std::time::{Duration, Instant};

use crate::cli::IdentifyArgs;
use crate::commands::{read_config, stdout_error};
use crate::context::Context;
use crate::error::{Error, Kind, Result};
use crate::output::schema;
use crate::output::{self, Narrator};
use crate::remote::Via;
use crate::remote::{Outcome, refuse_flagged, select_units};
use crate::transport::fanout;
use crate::transport::gpio::{self, Blinked, GpioLed};

/// Set by SIGINT, so a blink can end with the LED off.
static INTERRUPTED: AtomicBool = AtomicBool::new(false);

extern "C" fn on_sigint(_: libc::c_int) {
    INTERRUPTED.store(true, Ordering::SeqCst);
}

pub fn run(ctx: &Context, args: &IdentifyArgs) -> Result<()> {
    let duration = Duration::from_secs_f64(args.duration.unwrap_or(0.0));
    if args.select.named().is_empty() && !args.select.all && args.select.experiments.is_empty() {
        if args.roll_call {
            return Err(Error::usage(
                "a roll call needs units: name them, or use --all",
            ));
        }
        return identify_here(ctx, duration);
    }
    let inventory = crate::commands::open_inventory(ctx)?;
    let config = &inventory.config;
    let cluster = inventory.cluster(&ctx.hostname)?;
    let units: Vec<String> = if args.select.all {
        cluster.workers.iter().map(|w| w.name.to_string()).collect()
    } else {
        let named = crate::commands::named_units(
            &inventory,
            args.select.named(),
            &args.select.experiments,
        )?;
        select_units(&cluster, &named)?
    };
    refuse_flagged(&cluster, &units, args.select.all.then_some(false))?;
    let remote =
        crate::commands::remote(ctx, config, Via::Ssh, Duration::from_secs_f64(args.timeout))?;
    let narrator = Narrator::new(ctx);
    let blink = |unit: &String| remote.identify(&cluster, unit, args.duration);
    let outcomes: Vec<Outcome> = if args.roll_call {
        let mut outcomes = Vec::new();
        for (i, unit) in units.iter().enumerate() {
            if i > 0 {
                std::thread::sleep(Duration::from_secs_f64(args.pause));
            }
            // The name first, so the person at the bench reads it while the LED blinks (with
            // --json, the one document at the end is all stdout gets).
            if !ctx.json {
                output::data(&format!("{unit}\n")).map_err(stdout_error)?;
            } else {
                narrator.say(unit);
            }
            let o = blink(unit);
            if !o.ok() {
                narrator.warn(&o.describe());
            }
            outcomes.push(o);
        }
        outcomes
    } else {
        fanout::run(&units, usize::from(args.fanout), blink, |_, o| {
            narrator.say(&o.describe())
        })
    };
    let failed: Vec<&str> = outcomes
        .iter()
        .filter(|o| !o.ok())
        .map(|o| o.unit.as_str())
        .collect();
    if ctx.json {
        output::json_data(&schema::Outcomes {
            command: "identify",
            units: outcomes.iter().map(schema::UnitOutcome::from).collect(),
            failed: failed.clone(),
        })
        .map_err(stdout_error)?;
    }
    if failed.is_empty() {
        Ok(())
    } else {
        Err(Error::failed(format!(
            "could not blink: {}",
            failed.join(", ")
        )))
    }
}

/// Blinks this unit's LED through its GPIO pin.
fn identify_here(ctx: &Context, duration: Duration) -> Result<()> {
    let config = read_config(ctx)?;
    let pin = crate::commands::local_led_pin(ctx, &config)?;
    Narrator::new(ctx).detail(&format!("LED pin: BCM GPIO {} ({})", pin.bcm, pin.from));
    let pin = pin.bcm;
    let mut led = GpioLed::open(pin).map_err(|e| {
        Error::failed(format!(
            "cannot blink this unit's LED (BCM GPIO {pin}): {e}"
        ))
        .with_hint("Run `pio identify <unit>` to blink another unit over SSH.")
    })?;
    // SAFETY: the handler only stores to an atomic, which is async-signal-safe.
    unsafe { libc::signal(libc::SIGINT, on_sigint as *const () as libc::sighandler_t) };
    Narrator::new(ctx).say(&format!(
        "Blinking the LED on BCM GPIO {pin} (Ctrl-C stops)."
    ));
    let mut sleep = |d: Duration| {
        let end = Instant::now() + d;
        while !INTERRUPTED.load(Ordering::SeqCst) {
            let Some(left) = end.checked_duration_since(Instant::now()) else {
                break;
            };
            std::thread::sleep(left.min(Duration::from_millis(20)));
        }
    };
    match gpio::blink(&mut led, duration, &INTERRUPTED, &mut sleep) {
        Ok(Blinked::Done) => Ok(()),
        Ok(Blinked::Interrupted) => {
            Err(Error::new(Kind::Interrupted, "interrupted; the LED is off"))
        }
        Err(e) => Err(Error::failed(format!("blinking failed: {e}"))),
    }
}
