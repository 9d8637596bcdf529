//! known_hosts files as OpenSSH keeps them: checking a presented host key, trusting a new one,
//! and forgetting a unit.
//!
//! OpenSSH's rules, which pio follows so that a leader's existing files keep working:
//! - a unit's key is filed under the name it is reached by (`pio02.local`, a static address, a
//!   `HostName`, or a `HostKeyAlias`), written `[host]:port` when the port is not 22;
//! - a line names hosts as a comma list of patterns (`*`, `?`, `!negation`), or hashed
//!   (`|1|salt|hmac`, HMAC-SHA1 of the name);
//! - a stored key of another type than the one presented is "not yet known", never "changed";
//! - `@revoked` lines refuse a key outright; `@cert-authority` lines are for certificates, which
//!   pio does not use.
//!
//! The files are read once per run ([`KnownHosts::load`]) and shared by every unit's check.

use std::fs;
use std::io::Write;
use std::os::unix::fs::PermissionsExt;
use std::path::{Path, PathBuf};

use hmac::{Hmac, KeyInit, Mac};
use sha1::Sha1;

use super::encoding::{base64_decode, base64_encode, fingerprint};
use super::ssh_config::glob;

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

/// Where a key was found: a file and a 1-based line.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Place {
    pub file: PathBuf,
    pub line: usize,
}

impl std::fmt::Display for Place {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{}:{}", self.file.display(), self.line)
    }
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub enum HostKeyCheck {
    /// A line for one of the unit's names holds the presented key.
    Known,
    /// No line holds a key of the presented type for the unit's name. `other_types` lists the
    /// key types that are stored for it (OpenSSH: "not yet known", never "changed").
    Unknown { other_types: Vec<String> },
    /// Lines file a key of the same type under the unit's name, and none is the presented one:
    /// a different machine, or a reinstalled one.
    Changed {
        stored_fingerprints: Vec<String>,
        places: Vec<Place>,
    },
    /// An `@revoked` line names the presented key.
    Revoked { place: Place },
}

#[derive(Clone, Debug, PartialEq, Eq)]
enum Marker {
    None,
    Revoked,
    CertAuthority,
}

#[derive(Clone, Debug)]
enum Hosts {
    /// A comma list of patterns, as written.
    Patterns(String),
    /// `|1|salt|hash`: HMAC-SHA1 of the host name, keyed by the salt.
    Hashed { salt: Vec<u8>, hash: Vec<u8> },
}

#[derive(Clone, Debug)]
struct Entry {
    place: Place,
    marker: Marker,
    hosts: Hosts,
    key: Vec<u8>,
}

/// Names a unit's key may be filed under.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Lookup {
    /// The name the unit is reached by, as a known_hosts host (`pio02.local`,
    /// `[10.0.0.2]:2222`, or a `HostKeyAlias`): new keys are stored under it, and a different key
    /// of the same type under it is a changed key.
    pub primary: String,
    /// Other names a matching key is accepted under (the address connected to, the bare name):
    /// a DHCP address that moved to another unit must not look like a changed key.
    pub also: Vec<String>,
}

impl Lookup {
    fn all(&self) -> impl Iterator<Item = &str> {
        std::iter::once(self.primary.as_str()).chain(self.also.iter().map(String::as_str))
    }
}

/// Every line of the known_hosts files a run reads.
#[derive(Clone, Debug, Default)]
pub struct KnownHosts {
    entries: Vec<Entry>,
    /// Files that exist but could not be read, with why: their keys are unknown to pio, so a
    /// key they might hold is never taken as new (nor stored) on the strength of this reading.
    pub unread: Vec<String>,
}

fn parse_line(line: &str, place: Place) -> Option<Entry> {
    let line = line.trim();
    if line.is_empty() || line.starts_with('#') {
        return None;
    }
    let mut fields = line.split_whitespace();
    let mut first = fields.next()?;
    let marker = match first {
        "@revoked" => Marker::Revoked,
        "@cert-authority" => Marker::CertAuthority,
        m if m.starts_with('@') => return None, // unknown marker: OpenSSH skips the line
        _ => Marker::None,
    };
    if marker != Marker::None {
        first = fields.next()?;
    }
    let _key_type = fields.next()?;
    let key = base64_decode(fields.next()?)?;
    let hosts = match first.strip_prefix("|1|") {
        Some(rest) => {
            let (salt, hash) = rest.split_once('|')?;
            Hosts::Hashed {
                salt: base64_decode(salt)?,
                hash: base64_decode(hash)?,
            }
        }
        None => Hosts::Patterns(first.to_string()),
    };
    Some(Entry {
        place,
        marker,
        hosts,
        key,
    })
}

/// Whether a comma list of OpenSSH host patterns selects `host`: a positive pattern matches
/// and no negated one does.
fn patterns_match(patterns: &str, host: &str) -> bool {
    let mut matched = false;
    for p in patterns.split(',') {
        match p.strip_prefix('!') {
            Some(negated) if glob(negated, host) => return false,
            Some(_) => {}
            None if glob(p, host) => matched = true,
            None => {}
        }
    }
    matched
}

impl Entry {
    fn names(&self, host: &str) -> bool {
        match &self.hosts {
            Hosts::Patterns(p) => patterns_match(p, host),
            Hosts::Hashed { salt, hash } => {
                let Ok(mut mac) = Hmac::<Sha1>::new_from_slice(salt) else {
                    return false;
                };
                mac.update(host.to_ascii_lowercase().as_bytes());
                mac.verify_slice(hash).is_ok()
            }
        }
    }

    fn names_any(&self, hosts: &Lookup) -> bool {
        hosts.all().any(|h| self.names(h))
    }
}

/// The most of a known_hosts file pio reads (a large fleet's is well under a megabyte).
const MAX_KNOWN_HOSTS: u64 = 16 << 20;

impl KnownHosts {
    /// Reads `files`: those that do not exist count as empty; those that cannot be read (a
    /// root-only `/etc/ssh/ssh_known_hosts`, say) are skipped, as OpenSSH skips them, and named
    /// in [`KnownHosts::unread`].
    pub fn load(files: &[PathBuf]) -> KnownHosts {
        let mut entries = Vec::new();
        let mut unread = Vec::new();
        for file in files {
            let text = match crate::files::read_bounded(file, MAX_KNOWN_HOSTS) {
                Ok(t) => t,
                Err(e) if e.kind() == std::io::ErrorKind::NotFound => continue,
                Err(e) => {
                    unread.push(format!("{}: {e}", file.display()));
                    continue;
                }
            };
            let text = String::from_utf8_lossy(&text);
            for (i, line) in text.lines().enumerate() {
                let place = Place {
                    file: file.clone(),
                    line: i + 1,
                };
                entries.extend(parse_line(line, place));
            }
        }
        KnownHosts { entries, unread }
    }

    /// Checks the key `blob` a unit presented, filed under `hosts`.
    pub fn check(&self, hosts: &Lookup, blob: &[u8]) -> HostKeyCheck {
        let presented_type = key_type(blob);
        if let Some(e) = self
            .entries
            .iter()
            .find(|e| e.marker == Marker::Revoked && e.key == blob && e.names_any(hosts))
        {
            return HostKeyCheck::Revoked {
                place: e.place.clone(),
            };
        }
        let plain = || self.entries.iter().filter(|e| e.marker == Marker::None);
        if plain().any(|e| e.key == blob && e.names_any(hosts)) {
            return HostKeyCheck::Known;
        }
        let mut stored_fingerprints = Vec::new();
        let mut places = Vec::new();
        let mut other_types = Vec::new();
        for e in plain().filter(|e| e.names(&hosts.primary)) {
            let t = key_type(&e.key);
            if t == presented_type {
                stored_fingerprints.push(fingerprint(&e.key));
                places.push(e.place.clone());
            } else if let Some(t) = t
                && !other_types.iter().any(|o| o == t)
            {
                other_types.push(t.to_string());
            }
        }
        if places.is_empty() {
            HostKeyCheck::Unknown { other_types }
        } else {
            HostKeyCheck::Changed {
                stored_fingerprints,
                places,
            }
        }
    }

    /// The key types filed under any of `hosts`, in file order: the host key algorithms to ask
    /// for first, as OpenSSH does, so that a unit known by its ECDSA key is checked against it.
    pub fn stored_types(&self, hosts: &Lookup) -> Vec<String> {
        let mut types: Vec<String> = Vec::new();
        for e in &self.entries {
            if e.marker == Marker::None
                && e.names_any(hosts)
                && let Some(t) = key_type(&e.key)
                && !types.iter().any(|x| x == t)
            {
                types.push(t.to_string());
            }
        }
        types
    }
}

/// Appends a line trusting `blob` for `pattern`, creating `~/.ssh` (0700) and the file (0600).
pub fn add(path: &Path, pattern: &str, blob: &[u8]) -> std::io::Result<()> {
    if let Some(dir) = path.parent()
        && !dir.exists()
    {
        fs::create_dir_all(dir)?;
        fs::set_permissions(dir, fs::Permissions::from_mode(0o700))?;
    }
    let needs_newline = crate::files::read_bounded(path, MAX_KNOWN_HOSTS)
        .map(|b| !b.is_empty() && !b.ends_with(b"\n"))
        .unwrap_or(false);
    // The user's own link is followed (to append to its target); a planted one, a FIFO or a
    // device is refused.
    let mut f = crate::files::open_append(path, 0o600)?;
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
    let text = match crate::files::read_bounded(path, MAX_KNOWN_HOSTS) {
        Ok(t) => String::from_utf8(t)
            .map_err(|e| std::io::Error::new(std::io::ErrorKind::InvalidData, e))?,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(Vec::new()),
        Err(e) => return Err(e),
    };
    let mut removed = Vec::new();
    let mut out = String::with_capacity(text.len());
    for raw in text.split_inclusive('\n') {
        let place = Place {
            file: path.to_path_buf(),
            line: 0,
        };
        let Some(entry) = parse_line(raw, place).filter(|e| e.marker == Marker::None) else {
            out.push_str(raw);
            continue;
        };
        let Hosts::Patterns(hosts) = &entry.hosts else {
            match patterns.iter().find(|p| entry.names(p)) {
                Some(p) => removed.push(p.clone()),
                None => out.push_str(raw),
            }
            continue;
        };
        let (gone, kept): (Vec<&str>, Vec<&str>) = hosts
            .split(',')
            .partition(|h| patterns.iter().any(|p| h.eq_ignore_ascii_case(p)));
        if gone.is_empty() {
            out.push_str(raw);
            continue;
        }
        removed.extend(gone.iter().map(|h| h.to_string()));
        if !kept.is_empty() {
            let rest = raw.trim_start()[hosts.len()..].to_string();
            out.push_str(&kept.join(","));
            out.push_str(&rest);
        }
    }
    if !removed.is_empty() {
        // The file rewritten is the link's target: the user's link to it stays.
        let target = crate::files::follow_links(path)?;
        crate::files::replace_atomically(&target, out.as_bytes()).map_err(|e| e.error)?;
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

    fn lookup(primary: &str, also: &[&str]) -> Lookup {
        Lookup {
            primary: primary.to_string(),
            also: also.iter().map(|s| s.to_string()).collect(),
        }
    }

    fn load(path: &Path) -> KnownHosts {
        KnownHosts::load(&[path.to_path_buf()])
    }

    #[test]
    fn add_check_and_remove() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join(".ssh/known_hosts");
        let (k1, k2) = (blob("ssh-ed25519", b"one"), blob("ssh-ed25519", b"two"));
        let at = lookup("[10.0.0.2]:2222", &[]);
        assert_eq!(
            load(&path).check(&at, &k1),
            HostKeyCheck::Unknown {
                other_types: vec![]
            }
        );
        add(&path, "[10.0.0.2]:2222", &k1).unwrap();
        assert_eq!(
            fs::metadata(&path).unwrap().permissions().mode() & 0o777,
            0o600
        );
        assert_eq!(load(&path).check(&at, &k1), HostKeyCheck::Known);
        // Without a port in the pattern it is another entry (port 22), as in OpenSSH.
        assert!(matches!(
            load(&path).check(&lookup("10.0.0.2", &[]), &k1),
            HostKeyCheck::Unknown { .. }
        ));
        match load(&path).check(&at, &k2) {
            HostKeyCheck::Changed {
                stored_fingerprints,
                places,
            } => {
                assert_eq!(stored_fingerprints, [fingerprint(&k1)]);
                assert_eq!(places[0].line, 1);
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
    fn openssh_rules_for_names_types_and_markers() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("known_hosts");
        let ed = blob("ssh-ed25519", b"ed");
        let ecdsa = blob("ecdsa-sha2-nistp256", b"ec");
        let other_ed = blob("ssh-ed25519", b"someone else");
        fs::write(
            &path,
            format!(
                "pio02.local,192.168.1.5 ecdsa-sha2-nistp256 {ec}\n\
                 *.lab,!bad.lab ssh-ed25519 {ed}\n\
                 @revoked pio09.local ssh-ed25519 {other}\n\
                 @cert-authority *.local ssh-ed25519 {other}\n",
                ec = base64_encode(&ecdsa, true),
                ed = base64_encode(&ed, true),
                other = base64_encode(&other_ed, true),
            ),
        )
        .unwrap();
        let kh = load(&path);
        // Filed under the name it is reached by, with another type: not yet known.
        assert_eq!(
            kh.check(&lookup("pio02.local", &["192.168.1.9"]), &ed),
            HostKeyCheck::Unknown {
                other_types: vec!["ecdsa-sha2-nistp256".into()]
            }
        );
        assert_eq!(
            kh.stored_types(&lookup("pio02.local", &[])),
            ["ecdsa-sha2-nistp256"]
        );
        // The IP alone holds the key: accepted.
        assert_eq!(
            kh.check(&lookup("pio02.local", &["192.168.1.5"]), &ecdsa),
            HostKeyCheck::Known
        );
        // A key filed only under the IP (now another unit's, after DHCP) is not "changed".
        assert!(matches!(
            kh.check(
                &lookup("pio03.local", &["192.168.1.5"]),
                &blob("ecdsa-sha2-nistp256", b"x")
            ),
            HostKeyCheck::Unknown { .. }
        ));
        // Wildcards and negation.
        assert_eq!(kh.check(&lookup("a.lab", &[]), &ed), HostKeyCheck::Known);
        assert!(matches!(
            kh.check(&lookup("bad.lab", &[]), &ed),
            HostKeyCheck::Unknown { .. }
        ));
        // Revoked wins; certificate authorities are not host keys.
        assert!(matches!(
            kh.check(&lookup("pio09.local", &[]), &other_ed),
            HostKeyCheck::Revoked { .. }
        ));
        assert!(matches!(
            kh.check(&lookup("x.local", &[]), &other_ed),
            HostKeyCheck::Unknown { .. }
        ));
    }

    #[test]
    fn hashed_entries_match_by_hmac() {
        // `ssh-keygen -H` style entry: |1|base64(salt)|base64(HMAC-SHA1(salt, host)).
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("known_hosts");
        let k = blob("ssh-ed25519", b"hashed");
        let salt = [7u8; 20];
        let hashed = format!(
            "|1|{}|{} ssh-ed25519 {}\n",
            base64_encode(&salt, true),
            base64_encode(&hmac_sha1_for_test(&salt, b"[127.0.1.1]:2222"), true),
            base64_encode(&k, true)
        );
        fs::write(&path, &hashed).unwrap();
        let kh = load(&path);
        assert_eq!(
            kh.check(&lookup("[127.0.1.1]:2222", &[]), &k),
            HostKeyCheck::Known
        );
        assert!(matches!(
            kh.check(&lookup("[127.0.1.2]:2222", &[]), &k),
            HostKeyCheck::Unknown { .. }
        ));
        assert_eq!(
            remove(&path, &["[127.0.1.1]:2222".into()]).unwrap().len(),
            1
        );
        assert_eq!(fs::read_to_string(&path).unwrap(), "");
    }

    #[test]
    fn removing_writes_under_a_name_nobody_planted_anything_at() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("known_hosts");
        let k = base64_encode(&blob("ssh-ed25519", b"k"), true);
        fs::write(
            &path,
            format!("pio02.local ssh-ed25519 {k}\npio03.local ssh-ed25519 {k}\n"),
        )
        .unwrap();
        // A link at the name the temporary file once had, to a file outside.
        let outside = dir.path().join("outside");
        fs::write(&outside, "outside\n").unwrap();
        let planted = path.with_extension("pio-tmp");
        std::os::unix::fs::symlink(&outside, &planted).unwrap();

        assert_eq!(remove(&path, &["pio02.local".into()]).unwrap().len(), 1);
        assert_eq!(
            fs::read_to_string(&path).unwrap(),
            format!("pio03.local ssh-ed25519 {k}\n")
        );
        assert_eq!(fs::read_to_string(&outside).unwrap(), "outside\n");
        assert_eq!(
            fs::read_link(&planted).unwrap(),
            outside,
            "the planted link is left alone"
        );
        let mut names: Vec<String> = fs::read_dir(dir.path())
            .unwrap()
            .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
            .collect();
        names.sort();
        assert_eq!(names, ["known_hosts", "known_hosts.pio-tmp", "outside"]);
    }

    /// HMAC-SHA1 through python3, an implementation independent of the one under test.
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
