//! `~/.ssh/known_hosts` as OpenSSH keeps it: checking a presented host key, trusting a new one,
//! and forgetting a unit. Entries are looked up under the address pio connects to, written
//! `[address]:port` when the port is not 22; hashed entries (`|1|...`) are matched through
//! libssh2, which knows the hashing.

use std::fs;
use std::io::Write;
use std::os::unix::fs::{OpenOptionsExt, PermissionsExt};
use std::path::Path;

use super::encoding::{base64_decode, base64_encode, fingerprint};

/// How a known_hosts file spells a host at a port.
pub fn host_pattern(address: &str, port: u16) -> String {
    if port == 22 {
        address.to_string()
    } else {
        format!("[{address}]:{port}")
    }
}

/// The key type named at the start of an SSH public key blob (e.g. `ssh-ed25519`).
pub fn key_type(blob: &[u8]) -> Option<&str> {
    let len = u32::from_be_bytes(blob.get(..4)?.try_into().ok()?) as usize;
    std::str::from_utf8(blob.get(4..4 + len)?).ok()
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub enum HostKeyCheck {
    /// A line for this host holds the presented key.
    Known,
    /// No line names this host.
    Unknown,
    /// Lines name this host, with other keys: a different machine, or a reinstalled one.
    Changed {
        stored_fingerprints: Vec<String>,
        /// 1-based line numbers in known_hosts.
        lines: Vec<usize>,
    },
}

struct Line<'a> {
    hosts: &'a str,
    key_type: &'a str,
    key: Vec<u8>,
}

fn parse_line(line: &str) -> Option<Line<'_>> {
    let line = line.trim();
    if line.is_empty() || line.starts_with('#') || line.starts_with('@') {
        return None;
    }
    let mut fields = line.split_whitespace();
    let hosts = fields.next()?;
    let key_type = fields.next()?;
    let key = base64_decode(fields.next()?)?;
    Some(Line {
        hosts,
        key_type,
        key,
    })
}

/// Whether a known_hosts line's host field names `pattern` exactly.
fn names(line: &Line, pattern: &str) -> bool {
    if line.hosts.starts_with("|1|") {
        // libssh2 hashes `pattern` with the line's salt and compares.
        let Ok(session) = ssh2::Session::new() else {
            return false;
        };
        let Ok(mut kh) = session.known_hosts() else {
            return false;
        };
        let text = format!(
            "{} {} {}\n",
            line.hosts,
            line.key_type,
            base64_encode(&line.key, true)
        );
        if kh
            .read_str(&text, ssh2::KnownHostFileKind::OpenSSH)
            .is_err()
        {
            return false;
        }
        matches!(kh.check(pattern, &line.key), ssh2::CheckResult::Match)
    } else {
        line.hosts
            .split(',')
            .any(|h| h.eq_ignore_ascii_case(pattern))
    }
}

/// Checks the key `blob` presented by the host at `pattern` (see [`host_pattern`]).
pub fn check(path: &Path, pattern: &str, blob: &[u8]) -> std::io::Result<HostKeyCheck> {
    let text = match fs::read_to_string(path) {
        Ok(t) => t,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(HostKeyCheck::Unknown),
        Err(e) => return Err(e),
    };
    let mut stored_fingerprints = Vec::new();
    let mut lines = Vec::new();
    for (i, raw) in text.lines().enumerate() {
        let Some(line) = parse_line(raw) else {
            continue;
        };
        if !names(&line, pattern) {
            continue;
        }
        if line.key == blob {
            return Ok(HostKeyCheck::Known);
        }
        stored_fingerprints.push(fingerprint(&line.key));
        lines.push(i + 1);
    }
    Ok(if lines.is_empty() {
        HostKeyCheck::Unknown
    } else {
        HostKeyCheck::Changed {
            stored_fingerprints,
            lines,
        }
    })
}

/// Appends a line trusting `blob` for `pattern`, creating `~/.ssh` (0700) and the file (0600).
pub fn add(path: &Path, pattern: &str, blob: &[u8]) -> std::io::Result<()> {
    if let Some(dir) = path.parent()
        && !dir.exists()
    {
        fs::create_dir_all(dir)?;
        fs::set_permissions(dir, fs::Permissions::from_mode(0o700))?;
    }
    let needs_newline = fs::read(path)
        .map(|b| !b.is_empty() && !b.ends_with(b"\n"))
        .unwrap_or(false);
    let mut f = fs::OpenOptions::new()
        .append(true)
        .create(true)
        .mode(0o600)
        .open(path)?;
    let kind = key_type(blob).unwrap_or("ssh-ed25519");
    let line = format!(
        "{}{pattern} {kind} {}\n",
        if needs_newline { "\n" } else { "" },
        base64_encode(blob, true)
    );
    f.write_all(line.as_bytes())?;
    f.sync_all()
}

/// Removes every entry for any of `patterns` (a line naming other hosts too keeps those).
/// Returns the removed host names, one per removed entry, in file order.
pub fn remove(path: &Path, patterns: &[String]) -> std::io::Result<Vec<String>> {
    let text = match fs::read_to_string(path) {
        Ok(t) => t,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(Vec::new()),
        Err(e) => return Err(e),
    };
    let mut removed = Vec::new();
    let mut out = String::with_capacity(text.len());
    for raw in text.split_inclusive('\n') {
        let Some(line) = parse_line(raw) else {
            out.push_str(raw);
            continue;
        };
        if line.hosts.starts_with("|1|") {
            match patterns.iter().find(|p| names(&line, p)) {
                Some(p) => removed.push(p.clone()),
                None => out.push_str(raw),
            }
            continue;
        }
        let (gone, kept): (Vec<&str>, Vec<&str>) = line
            .hosts
            .split(',')
            .partition(|h| patterns.iter().any(|p| h.eq_ignore_ascii_case(p)));
        if gone.is_empty() {
            out.push_str(raw);
            continue;
        }
        removed.extend(gone.iter().map(|h| h.to_string()));
        if !kept.is_empty() {
            let rest = raw.trim_start()[line.hosts.len()..].to_string();
            out.push_str(&kept.join(","));
            out.push_str(&rest);
        }
    }
    if !removed.is_empty() {
        let tmp = path.with_extension("pio-tmp");
        let mode = fs::metadata(path)?.permissions().mode();
        let mut f = fs::OpenOptions::new()
            .write(true)
            .create(true)
            .truncate(true)
            .mode(mode)
            .open(&tmp)?;
        f.write_all(out.as_bytes())?;
        f.sync_all()?;
        fs::rename(&tmp, path)?;
    }
    Ok(removed)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn blob(kind: &str, body: &[u8]) -> Vec<u8> {
        let mut b = (kind.len() as u32).to_be_bytes().to_vec();
        b.extend_from_slice(kind.as_bytes());
        b.extend_from_slice(body);
        b
    }

    #[test]
    fn add_check_and_remove() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join(".ssh/known_hosts");
        let (k1, k2) = (blob("ssh-ed25519", b"one"), blob("ssh-ed25519", b"two"));
        assert_eq!(
            check(&path, "[10.0.0.2]:2222", &k1).unwrap(),
            HostKeyCheck::Unknown
        );
        add(&path, "[10.0.0.2]:2222", &k1).unwrap();
        assert_eq!(
            fs::metadata(&path).unwrap().permissions().mode() & 0o777,
            0o600
        );
        assert_eq!(
            check(&path, "[10.0.0.2]:2222", &k1).unwrap(),
            HostKeyCheck::Known
        );
        // Without a port in the pattern it is another entry (port 22), as in OpenSSH.
        assert_eq!(
            check(&path, "10.0.0.2", &k1).unwrap(),
            HostKeyCheck::Unknown
        );
        match check(&path, "[10.0.0.2]:2222", &k2).unwrap() {
            HostKeyCheck::Changed {
                stored_fingerprints,
                lines,
            } => {
                assert_eq!(stored_fingerprints, [fingerprint(&k1)]);
                assert_eq!(lines, [1]);
            }
            other => panic!("{other:?}"),
        }
        let mut f = fs::OpenOptions::new().append(true).open(&path).unwrap();
        writeln!(
            f,
            "# keep me\npio02,other ssh-ed25519 {}",
            base64_encode(&k2, true)
        )
        .unwrap();
        let removed = remove(&path, &["[10.0.0.2]:2222".into(), "pio02".into()]).unwrap();
        assert_eq!(removed, ["[10.0.0.2]:2222", "pio02"]);
        let left = fs::read_to_string(&path).unwrap();
        assert_eq!(
            left,
            format!(
                "# keep me\nother ssh-ed25519 {}\n",
                base64_encode(&k2, true)
            )
        );
    }

    #[test]
    fn hashed_entries_match_through_libssh2() {
        // `ssh-keygen -H` style entry for "[127.0.1.1]:2222", salt and hash computed by OpenSSH.
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("known_hosts");
        let k = blob("ssh-ed25519", b"hashed");
        let session = ssh2::Session::new().unwrap();
        let mut kh = session.known_hosts().unwrap();
        kh.add(
            "[127.0.1.1]:2222",
            &k,
            "",
            ssh2::KnownHostKeyFormat::Ed25519,
        )
        .unwrap();
        let host = kh.hosts().unwrap().remove(0);
        let plain = kh
            .write_string(&host, ssh2::KnownHostFileKind::OpenSSH)
            .unwrap();
        // Turn the plain entry into a hashed one with libssh2's own format.
        let salt = [7u8; 20];
        let hashed = format!(
            "|1|{}|{} {}",
            base64_encode(&salt, true),
            base64_encode(&hmac_sha1_for_test(&salt, b"[127.0.1.1]:2222"), true),
            plain.split_once(' ').unwrap().1
        );
        fs::write(&path, &hashed).unwrap();
        assert_eq!(
            check(&path, "[127.0.1.1]:2222", &k).unwrap(),
            HostKeyCheck::Known
        );
        assert_eq!(
            check(&path, "[127.0.1.2]:2222", &k).unwrap(),
            HostKeyCheck::Unknown
        );
        assert_eq!(
            remove(&path, &["[127.0.1.1]:2222".into()]).unwrap().len(),
            1
        );
        assert_eq!(fs::read_to_string(&path).unwrap(), "");
    }

    /// HMAC-SHA1 through python3, only to build a hashed known_hosts line for the test.
    fn hmac_sha1_for_test(key: &[u8], msg: &[u8]) -> Vec<u8> {
        let script = format!(
            "import hmac,hashlib,sys; sys.stdout.buffer.write(hmac.new(bytes({key:?}), bytes({msg:?}), hashlib.sha1).digest())"
        );
        std::process::Command::new("python3")
            .args(["-c", &script])
            .output()
            .unwrap()
            .stdout
    }
}
