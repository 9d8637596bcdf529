//! The executable itself: position-independent, so that the statically linked OpenSSL and
//! libssh2, which parse what the network sends, are loaded at a random address (ASLR). The
//! release packages are checked the same way by packaging/check-deb.sh.

#[test]
fn pio_is_a_position_independent_executable() {
    let elf = std::fs::read(env!("CARGO_BIN_EXE_pio")).unwrap();
    assert_eq!(&elf[..4], b"\x7fELF", "not an ELF file");
    // e_type, in the file's byte order (byte 5: 1 little-endian, 2 big-endian).
    let e_type = match elf[5] {
        1 => u16::from_le_bytes([elf[16], elf[17]]),
        _ => u16::from_be_bytes([elf[16], elf[17]]),
    };
    const ET_EXEC: u16 = 2;
    const ET_DYN: u16 = 3;
    assert_ne!(
        e_type, ET_EXEC,
        "pio is linked at a fixed address (-no-pie?)"
    );
    assert_eq!(e_type, ET_DYN);
}

/// Fails when the binary names `library` among the shared libraries it needs (readelf's NEEDED).
fn assert_not_needed(library: &str) {
    let out = std::process::Command::new("readelf")
        .args(["-d", env!("CARGO_BIN_EXE_pio")])
        .output()
        .expect("readelf (binutils) runs");
    assert!(out.status.success(), "{out:?}");
    let dynamic = String::from_utf8_lossy(&out.stdout);
    let needed: Vec<&str> = dynamic.lines().filter(|l| l.contains("(NEEDED)")).collect();
    assert!(!needed.is_empty(), "no NEEDED entries read: {dynamic}");
    assert!(
        needed.iter().all(|l| !l.contains(library)),
        "pio needs {library}: {needed:?}"
    );
}

/// The system's libm is not loaded at start (0.3 MB of memory and 50 us on every run): `pow`,
/// the one maths function pio calls, comes from the `libm` crate (src/main.rs).
#[test]
fn pio_does_not_load_the_system_libm() {
    assert_not_needed("libm.so");
}

/// Nor is libgcc_s (0.15 ms on every start): the unwinder Rust's std needs for backtraces is
/// linked from GCC's static libgcc_eh (build.rs).
#[test]
fn pio_does_not_load_libgcc_s() {
    assert_not_needed("libgcc_s");
}
