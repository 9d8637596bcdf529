//! Spinners and progress bars on a terminal (indicatif); plain lines everywhere else.

use std::time::Duration;

use indicatif::{ProgressBar, ProgressStyle};

use crate::context::Context;

/// A spinner or bar on stderr when it is a terminal; otherwise nothing moves and only the lines
/// passed to [`Progress::line`] are printed.
pub struct Progress {
    bar: Option<ProgressBar>,
    quiet: bool,
}

impl Progress {
    fn new(ctx: &Context, make: impl FnOnce() -> ProgressBar) -> Progress {
        let bar = (ctx.stderr_is_terminal && !ctx.quiet && !ctx.json).then(|| {
            let bar = make();
            bar.enable_steady_tick(Duration::from_millis(100));
            bar
        });
        Progress {
            bar,
            quiet: ctx.quiet,
        }
    }

    pub fn spinner(ctx: &Context, message: &str) -> Progress {
        Progress::new(ctx, || {
            let bar = ProgressBar::new_spinner();
            bar.set_style(
                ProgressStyle::with_template("{spinner} {msg} ({elapsed})")
                    .expect("a valid template"),
            );
            bar.set_message(super::escape_controls(message).into_owned());
            bar
        })
    }

    pub fn bar(ctx: &Context, len: usize, message: &str) -> Progress {
        Progress::new(ctx, || {
            let bar = ProgressBar::new(len as u64);
            bar.set_style(
                ProgressStyle::with_template("{msg} [{bar:30}] {pos}/{len} ({elapsed})")
                    .expect("a valid template")
                    .progress_chars("=> "),
            );
            bar.set_message(super::escape_controls(message).into_owned());
            bar
        })
    }

    pub fn set_message(&self, message: &str) {
        if let Some(bar) = &self.bar {
            bar.set_message(super::escape_controls(message).into_owned());
        }
    }

    pub fn inc(&self) {
        if let Some(bar) = &self.bar {
            bar.inc(1);
        }
    }

    /// A line of narration, printed above the bar if there is one.
    pub fn line(&self, text: &str) {
        if self.quiet {
            return;
        }
        match &self.bar {
            Some(bar) => bar.println(super::escape_controls(text)),
            None => eprintln!("{text}"),
        }
    }

    /// Runs `f` with the bar cleared and not redrawn, e.g. while a prompt waits for the operator.
    pub fn suspend<R>(&self, f: impl FnOnce() -> R) -> R {
        match &self.bar {
            Some(bar) => bar.suspend(f),
            None => f(),
        }
    }

    pub fn finish(&self) {
        if let Some(bar) = &self.bar {
            bar.finish_and_clear();
        }
    }
}

impl Drop for Progress {
    fn drop(&mut self) {
        self.finish();
    }
}
