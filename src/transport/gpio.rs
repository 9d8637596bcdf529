//! The HAT's blue status LED, driven directly through the GPIO pin (rppal), and the established
//! "identify" pattern. The pattern runs against the small [`Led`] trait so that its timing is
//! tested with a fake; the rppal side stays thin.

use std::sync::atomic::{AtomicBool, Ordering};
use std::time::Duration;

/// The HAT's blue LED: BCM GPIO 23, active high.
pub const DEFAULT_LED_PIN: u8 = 23;

/// One double blink: on 0.14 s, off 0.14 s, on 0.14 s, off 0.45 s.
pub const DOUBLE_BLINK: [(bool, Duration); 4] = [
    (true, Duration::from_millis(140)),
    (false, Duration::from_millis(140)),
    (true, Duration::from_millis(140)),
    (false, Duration::from_millis(450)),
];

/// The pattern is four double blinks (about 3.5 s).
pub const DOUBLE_BLINKS_PER_ROUND: usize = 4;

pub trait Led {
    fn set(&mut self, on: bool) -> Result<(), String>;
}

/// How a blink ended.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Blinked {
    Done,
    Interrupted,
}

/// Blinks the pattern, repeating whole rounds to last about `duration` (at least one round),
/// and leaves the LED off. `stop` ends it early (Ctrl-C); `sleep` waits (and may return early
/// once `stop` is set).
pub fn blink(
    led: &mut dyn Led,
    duration: Duration,
    stop: &AtomicBool,
    sleep: &mut dyn FnMut(Duration),
) -> Result<Blinked, String> {
    let round: Duration =
        DOUBLE_BLINK.iter().map(|(_, d)| *d).sum::<Duration>() * DOUBLE_BLINKS_PER_ROUND as u32;
    // Whole rounds, as many as fit `duration` best (at least one).
    let rounds = (duration.as_secs_f64() / round.as_secs_f64())
        .round()
        .max(1.0) as usize;
    let mut outcome = Ok(Blinked::Done);
    'rounds: for _ in 0..rounds {
        for _ in 0..DOUBLE_BLINKS_PER_ROUND {
            for (on, wait) in DOUBLE_BLINK {
                if stop.load(Ordering::SeqCst) {
                    outcome = Ok(Blinked::Interrupted);
                    break 'rounds;
                }
                if let Err(e) = led.set(on) {
                    outcome = Err(e);
                    break 'rounds;
                }
                sleep(wait);
            }
        }
    }
    if stop.load(Ordering::SeqCst) && outcome == Ok(Blinked::Done) {
        outcome = Ok(Blinked::Interrupted);
    }
    led.set(false)?;
    outcome
}

/// The LED on this unit's HAT, through rppal.
/// Whether the pin can be had, without touching its level (for `doctor`).
pub fn pin_available(bcm_pin: u8) -> Result<(), String> {
    let gpio = rppal::gpio::Gpio::new().map_err(|e| format!("cannot open the GPIO: {e}"))?;
    gpio.get(bcm_pin)
        .map(drop)
        .map_err(|e| format!("cannot use BCM GPIO {bcm_pin}: {e}"))
}

pub struct GpioLed {
    pin: rppal::gpio::OutputPin,
}

impl GpioLed {
    pub fn open(bcm_pin: u8) -> Result<GpioLed, String> {
        let gpio = rppal::gpio::Gpio::new().map_err(|e| match e {
            rppal::gpio::Error::UnknownModel => {
                "this machine is not a Raspberry Pi (rppal cannot identify its model), so it has no HAT LED to blink"
                    .to_string()
            }
            other => format!("cannot open the GPIO: {other}"),
        })?;
        let pin = gpio
            .get(bcm_pin)
            .map_err(|e| format!("cannot use BCM GPIO {bcm_pin}: {e}"))?
            .into_output_low();
        Ok(GpioLed { pin })
    }
}

impl Led for GpioLed {
    fn set(&mut self, on: bool) -> Result<(), String> {
        if on {
            self.pin.set_high();
        } else {
            self.pin.set_low();
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Records (virtual time, state) and advances a virtual clock instead of sleeping.
    struct FakeLed {
        now: std::rc::Rc<std::cell::Cell<Duration>>,
        log: Vec<(Duration, bool)>,
    }

    impl Led for FakeLed {
        fn set(&mut self, on: bool) -> Result<(), String> {
            self.log.push((self.now.get(), on));
            Ok(())
        }
    }

    fn run(duration: Duration, stop_after: Option<usize>) -> (Vec<(Duration, bool)>, Blinked) {
        let now = std::rc::Rc::new(std::cell::Cell::new(Duration::ZERO));
        let mut led = FakeLed {
            now: now.clone(),
            log: Vec::new(),
        };
        let stop = AtomicBool::new(false);
        let mut steps = 0;
        let mut sleep = |d: Duration| {
            now.set(now.get() + d);
            steps += 1;
            if Some(steps) == stop_after {
                stop.store(true, Ordering::SeqCst);
            }
        };
        let outcome = blink(&mut led, duration, &stop, &mut sleep).unwrap();
        (led.log, outcome)
    }

    #[test]
    fn four_double_blinks_then_off() {
        let (log, outcome) = run(Duration::ZERO, None);
        assert_eq!(outcome, Blinked::Done);
        let ms: Vec<(u128, bool)> = log.iter().map(|(t, on)| (t.as_millis(), *on)).collect();
        let mut expected = Vec::new();
        for k in 0..4u128 {
            let base = k * 870;
            expected.extend([
                (base, true),
                (base + 140, false),
                (base + 280, true),
                (base + 420, false),
            ]);
        }
        expected.push((3480, false)); // off at the end
        assert_eq!(ms, expected);
    }

    #[test]
    fn duration_repeats_whole_rounds() {
        let (log, _) = run(Duration::from_secs(7), None);
        assert_eq!(log.iter().filter(|(_, on)| *on).count(), 16); // two rounds of 4 double blinks
        assert_eq!(log.last().unwrap(), &(Duration::from_millis(6960), false));
    }

    #[test]
    fn interrupt_leaves_the_led_off() {
        let (log, outcome) = run(Duration::from_secs(60), Some(3));
        assert_eq!(outcome, Blinked::Interrupted);
        assert!(!log.last().unwrap().1);
        assert_eq!(log.iter().filter(|(_, on)| *on).count(), 2);
    }
}
