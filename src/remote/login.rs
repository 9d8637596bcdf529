//! A first login to a freshly flashed unit: this leader's key, created if missing, and installed
//! in the unit's `authorized_keys` once a password let pio in.

use std::path::Path;
use std::process::{Command, Stdio};
use std::time::Instant;

use crate::transport::ssh::{Connection, SshError};

/// The largest public key pio reads (an RSA key of 16384 bits is under 3 KiB).
const MAX_PUBLIC_KEY: u64 = 64 * 1024;

/// This leader's public key, creating the key pair (ed25519, empty passphrase) if there is none.
pub fn leader_public_key(home: &Path, hostname: &str) -> Result<String, String> {
    let ssh_dir = home.join(".ssh");
    for name in ["id_ed25519", "id_ecdsa", "id_rsa"] {
        if let Ok(k) = crate::files::read_text(&ssh_dir.join(format!("{name}.pub")), MAX_PUBLIC_KEY)
        {
            return Ok(k.trim().to_string());
        }
    }
    std::fs::create_dir_all(&ssh_dir)
        .map_err(|e| format!("cannot create {}: {e}", ssh_dir.display()))?;
    let key = ssh_dir.join("id_ed25519");
    let status = Command::new("ssh-keygen")
        .args(["-q", "-t", "ed25519", "-N", "", "-C"])
        .arg(format!("pioreactor@{hostname}"))
        .arg("-f")
        .arg(&key)
        .stdin(Stdio::null())
        .status()
        .map_err(|e| format!("cannot run ssh-keygen to create this leader's key: {e}"))?;
    if !status.success() {
        return Err(format!("ssh-keygen could not create {}", key.display()));
    }
    crate::files::read_text(&key.with_extension("pub"), MAX_PUBLIC_KEY)
        .map(|k| k.trim().to_string())
        .map_err(|e| format!("cannot read the new key: {e}"))
}

/// Appends `key` to the unit's `~/.ssh/authorized_keys` unless it is there already.
pub fn install_key(conn: &Connection, key: &str, deadline: Instant) -> Result<(), SshError> {
    let path = Path::new(".ssh/authorized_keys");
    let existing = conn.read_file(path, deadline)?.unwrap_or_default();
    let existing = String::from_utf8_lossy(&existing);
    if existing.lines().any(|l| l.trim() == key) {
        return Ok(());
    }
    let mut text = existing.into_owned();
    if !text.is_empty() && !text.ends_with('\n') {
        text.push('\n');
    }
    text.push_str(key);
    text.push('\n');
    conn.write_file_atomic(path, text.as_bytes(), 0o600, 0o700, deadline)
}
