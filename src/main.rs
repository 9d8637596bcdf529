// pio starts from C's `main`, not through Rust's runtime start: that start finds the main
// thread's stack (for the message a stack overflow prints) through glibc, which reads and parses
// /proc/self/maps, 7% of `pio --version`'s instructions and more of its time in the kernel. What
// else it does that pio needs is done below; the arguments reach `std::env` as ever (glibc hands
// them to std's initialiser), and `process::exit` flushes stdout as Rust's start would.
#![no_main]

use std::ffi::{c_char, c_int, c_void};

#[unsafe(no_mangle)]
pub extern "C" fn main(_argc: c_int, _argv: *const *const c_char) -> c_int {
    standard_fds_open();
    // As Rust's start does: a closed pipe is an error to report (EPIPE), not a silent death.
    // SAFETY: setting a signal's disposition to ignore it, before any thread starts.
    unsafe { libc::signal(libc::SIGPIPE, libc::SIG_IGN) };
    // A panic cannot unwind out of a C function: as Rust's start does, it ends the process with
    // exit code 101 (after the panic hook has said what happened). Release builds abort instead.
    let run = std::panic::catch_unwind(|| {
        pio::run(std::env::args_os(), &pio::context::Env::from_process())
    });
    std::process::exit(run.map_or(101, i32::from))
}

/// As Rust's start does: stdin, stdout and stderr each open, on /dev/null where one was closed,
/// so that no file pio opens (config.ini) becomes fd 1 and receives what pio prints.
fn standard_fds_open() {
    let mut fds = [0, 1, 2].map(|fd| libc::pollfd {
        fd,
        events: 0,
        revents: 0,
    });
    // SAFETY: three valid pollfd entries; a zero timeout.
    let closed: Vec<c_int> = if unsafe { libc::poll(fds.as_mut_ptr(), 3, 0) } >= 0 {
        fds.iter()
            .filter(|p| p.revents & libc::POLLNVAL != 0)
            .map(|p| p.fd)
            .collect()
    } else {
        // poll refused (RLIMIT_NOFILE below 3, EINTR): ask each descriptor instead.
        // SAFETY: F_GETFD reads a descriptor's flags and changes nothing.
        (0..3)
            .filter(|&fd| unsafe { libc::fcntl(fd, libc::F_GETFD) } == -1)
            .collect()
    };
    for _ in closed {
        // open() takes the lowest free descriptor: the closed one (they are filled in order).
        // SAFETY: a NUL-terminated path; the descriptor is deliberately kept open.
        if unsafe { libc::open(c"/dev/null".as_ptr(), libc::O_RDWR) } == -1 {
            std::process::abort();
        }
    }
}

/// C's `pow`, the only libm function pio calls (indicatif's rate estimate), from the `libm`
/// crate: defined here, it keeps the system's libm from being loaded at every start.
#[unsafe(no_mangle)]
pub extern "C" fn pow(x: f64, y: f64) -> f64 {
    libm::pow(x, y)
}

/// OpenSSL's `OPENSSL_init_ssl`, which openssl-sys calls when libssh2 starts. pio speaks no TLS,
/// so this starts only libcrypto (what libssh2 uses), and without reading an OpenSSL config file
/// (`$OPENSSL_CONF`, or openssl.cnf under the build's OpenSSL directory): a file pio would not
/// vet, that could change the algorithms SSH offers. Defined here, it also keeps libssl, its
/// cipher tables and error strings out of the binary and out of every start's relocations.
///
/// # Safety
/// As OpenSSL's own: `settings` is null or an `OPENSSL_INIT_SETTINGS` of OpenSSL's.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn OPENSSL_init_ssl(opts: u64, settings: *const c_void) -> c_int {
    // From OpenSSL's crypto.h (`OPENSSL_INIT_*`); the SSL-only options above these are dropped.
    const CRYPTO_OPTIONS: u64 = 0x000f_ffff;
    const ADD_ALL_CIPHERS: u64 = 0x04;
    const ADD_ALL_DIGESTS: u64 = 0x08;
    const NO_LOAD_CONFIG: u64 = 0x80;
    unsafe extern "C" {
        fn OPENSSL_init_crypto(opts: u64, settings: *const c_void) -> c_int;
    }
    let opts = (opts & CRYPTO_OPTIONS) | ADD_ALL_CIPHERS | ADD_ALL_DIGESTS | NO_LOAD_CONFIG;
    // SAFETY: the caller's arguments, passed on as OpenSSL's own function would.
    unsafe { OPENSSL_init_crypto(opts, settings) }
}
