//! Base64 and SHA-256, for known_hosts lines and OpenSSH-style key fingerprints
//! (`SHA256:<base64>`), through the `base64` and `sha2` crates.

use base64::Engine;
use base64::alphabet::STANDARD;
use base64::engine::{DecodePaddingMode, GeneralPurpose, GeneralPurposeConfig};
use sha2::{Digest, Sha256};

/// Standard base64; decoding takes it with or without padding, as known_hosts files have it.
const ENGINE: GeneralPurpose = GeneralPurpose::new(
    &STANDARD,
    GeneralPurposeConfig::new()
        .with_encode_padding(true)
        .with_decode_padding_mode(DecodePaddingMode::Indifferent),
);
const UNPADDED: GeneralPurpose = GeneralPurpose::new(
    &STANDARD,
    GeneralPurposeConfig::new().with_encode_padding(false),
);

pub fn base64_encode(data: &[u8], pad: bool) -> String {
    if pad {
        ENGINE.encode(data)
    } else {
        UNPADDED.encode(data)
    }
}

pub fn base64_decode(text: &str) -> Option<Vec<u8>> {
    ENGINE.decode(text).ok()
}

pub fn sha256(data: &[u8]) -> [u8; 32] {
    Sha256::digest(data).into()
}

/// An OpenSSH fingerprint of a raw public key blob: `SHA256:` and unpadded base64.
pub fn fingerprint(key_blob: &[u8]) -> String {
    format!("SHA256:{}", base64_encode(&sha256(key_blob), false))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn fingerprints_match_ssh_keygen() {
        let dir = tempfile::tempdir().unwrap();
        let key = dir.path().join("k");
        let made = std::process::Command::new("ssh-keygen")
            .args(["-q", "-t", "ed25519", "-N", "", "-f"])
            .arg(&key)
            .status()
            .unwrap();
        assert!(made.success());
        let public = std::fs::read_to_string(key.with_extension("pub")).unwrap();
        let blob = base64_decode(public.split_whitespace().nth(1).unwrap()).unwrap();
        let listed = std::process::Command::new("ssh-keygen")
            .args(["-l", "-E", "sha256", "-f"])
            .arg(key.with_extension("pub"))
            .output()
            .unwrap();
        let listed = String::from_utf8(listed.stdout).unwrap();
        assert_eq!(
            listed.split_whitespace().nth(1),
            Some(fingerprint(&blob).as_str())
        );
    }

    #[test]
    fn base64_round_trip_and_vectors() {
        for (plain, coded) in [
            ("", ""),
            ("f", "Zg=="),
            ("fo", "Zm8="),
            ("foo", "Zm9v"),
            ("foobar", "Zm9vYmFy"),
        ] {
            assert_eq!(base64_encode(plain.as_bytes(), true), coded);
            assert_eq!(base64_decode(coded).unwrap(), plain.as_bytes());
        }
        assert_eq!(base64_encode(b"f", false), "Zg");
        assert!(base64_decode("not base64!").is_none());
    }
}
