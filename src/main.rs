use std::process::ExitCode;

fn main() -> ExitCode {
    pio::run(std::env::args_os(), &pio::context::Env::from_process())
}
