use std::process::ExitCode;

fn main() -> ExitCode {
    pio::run(std::env::args_os(), &pio::context::Env::from_process())
}

/// C's `pow`, the only libm function pio calls (indicatif's rate estimate), from the `libm`
/// crate: defined here, it keeps the system's libm from being loaded at every start.
#[unsafe(no_mangle)]
pub extern "C" fn pow(x: f64, y: f64) -> f64 {
    libm::pow(x, y)
}
