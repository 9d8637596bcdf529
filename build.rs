//! Build facts for `pio --version`: the target triple and the git commit.
//!
//! The executable is linked as the toolchain links it by default: position-independent, so that
//! the statically linked OpenSSL and libssh2, which parse what the network sends, are loaded at a
//! random address (ASLR). RELR (`-z pack-relative-relocs`, which would shrink the start-up
//! relocations) is not used: it needs glibc 2.36, and pio must load on bullseye's 2.31.
use std::process::Command;

fn git(args: &[&str]) -> Option<String> {
    // A checkout owned by another user (a package build as root) is only read here.
    let out = Command::new("git")
        .args(["-c", "safe.directory=*"])
        .args(args)
        .output()
        .ok()?;
    let text = String::from_utf8(out.stdout).ok()?.trim().to_string();
    (out.status.success() && !text.is_empty()).then_some(text)
}

fn main() {
    println!(
        "cargo:rustc-env=PIO_TARGET={}",
        std::env::var("TARGET").unwrap_or_default()
    );
    // A build outside a git checkout (a source tarball) may say its commit in PIO_GIT_COMMIT.
    println!("cargo:rerun-if-env-changed=PIO_GIT_COMMIT");
    let commit = std::env::var("PIO_GIT_COMMIT")
        .ok()
        .or_else(|| git(&["rev-parse", "--short=12", "HEAD"]))
        .unwrap_or_else(|| "unknown".into());
    println!("cargo:rustc-env=PIO_GIT_COMMIT={commit}");
    // Build again when HEAD moves (a commit, a checkout).
    for path in ["HEAD", "refs/heads", "packed-refs"] {
        if let Some(p) = git(&["rev-parse", "--git-path", path]) {
            println!("cargo:rerun-if-changed={p}");
        }
    }
    println!("cargo:rerun-if-changed=build.rs");
    // Rust's std links libgcc_s for unwinding (backtraces); loading it costs every start about
    // 0.15 ms. Linked from GCC's static libgcc_eh instead, when the C linker is GCC's (zig, which
    // links the packages, brings its own unwinder and needs no libgcc_s already).
    let gnu = std::env::var("CARGO_CFG_TARGET_ENV").as_deref() == Ok("gnu");
    let custom_linker = std::env::var_os("RUSTC_LINKER").is_some();
    println!("cargo:rerun-if-env-changed=RUSTC_LINKER");
    if gnu && !custom_linker {
        println!("cargo:rustc-link-lib=static:+whole-archive,-bundle=gcc_eh");
    }
    // Release builds pack the code every command runs together (packaging/hot-text.sh says why).
    let release = std::env::var("PROFILE").as_deref() == Ok("release");
    let linux = std::env::var("CARGO_CFG_TARGET_OS").as_deref() == Ok("linux");
    if release && linux {
        let script = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("packaging/hot-text.ld");
        println!("cargo:rerun-if-changed={}", script.display());
        println!("cargo:rustc-link-arg-bins=-Wl,-T,{}", script.display());
    }
}
