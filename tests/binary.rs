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
