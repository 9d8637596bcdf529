//! Links the pio executable at a fixed address (not position-independent).
//!
//! pio is a short-lived command started many times a day on Raspberry Pis as small as a Pi Zero.
//! As a position-independent executable it would apply ~20,000 relocations at every start,
//! dirtying about a megabyte of pages; linked at a fixed address it has none to apply (measured:
//! peak RSS 5.1 MB -> 3.8 MB, start-up 2.2 ms -> 1.6 ms; bench/inventory.sh). Shared libraries,
//! the stack and the heap keep their address randomisation.
fn main() {
    let os = std::env::var("CARGO_CFG_TARGET_OS").unwrap_or_default();
    if os == "linux" {
        println!("cargo:rustc-link-arg-bins=-no-pie");
    }
    println!("cargo:rerun-if-changed=build.rs");
}
