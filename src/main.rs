use std::ffi::{c_int, c_void};
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
