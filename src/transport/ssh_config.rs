//! The part of `~/.ssh/config` that decides where and how `ssh <unit>` goes, read as OpenSSH
//! reads it: `Host` and `Match` blocks, `Include`, and the first value given for a keyword wins.
//!
//! Honoured: `HostName`, `Port`, `User`, `IdentityFile`, `IdentitiesOnly`, `IdentityAgent none`,
//! `ProxyCommand`, `ProxyJump`, `HostKeyAlias`, `UserKnownHostsFile`, `GlobalKnownHostsFile`,
//! `StrictHostKeyChecking`, and `Match` on `all`, `host`, `originalhost`, `user`, `localuser`,
//! `canonical` and `final`.
//! Anything else that changes where or how ssh connects is named in a warning, never silently
//! bypassed. Callers match it against the host a leader's ssh is given (`pio02.local`, a written
//! address), as OpenSSH matches the host as typed.

use std::path::{Path, PathBuf};

/// Keywords pio cannot honour and that change where or how `ssh` would connect.
const UNSUPPORTED: &[&str] = &[
    "canonicalizehostname",
    "certificatefile",
    "pkcs11provider",
    "securitykeyprovider",
    "hostkeyalgorithms",
    "kexalgorithms",
    "ciphers",
    "macs",
    "bindaddress",
    "bindinterface",
    "addressfamily",
];

/// `StrictHostKeyChecking`: what to do with a host key known_hosts does not have.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub enum StrictHostKeyChecking {
    /// `ask` (OpenSSH's default): refuse without asking, as ssh does with no terminal.
    #[default]
    Ask,
    Yes,
    /// `accept-new`: store a new key, refuse a changed one.
    AcceptNew,
    /// `no`/`off`: as accept-new for pio (a changed key is still refused).
    No,
}

#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct HostSettings {
    pub hostname: Option<String>,
    pub port: Option<u16>,
    pub user: Option<String>,
    pub identity_files: Vec<PathBuf>,
    /// `IdentitiesOnly yes` or `IdentityAgent none`: the agent is not used.
    pub no_agent: bool,
    /// `ProxyCommand`, with `ProxyJump` turned into `ssh -W` as OpenSSH does; tokens (`%h`,
    /// `%p`, `%r`) are expanded when connecting.
    pub proxy_command: Option<String>,
    pub host_key_alias: Option<String>,
    /// `UserKnownHostsFile` (several may be given), `~` expanded.
    pub known_hosts_files: Vec<PathBuf>,
    /// `GlobalKnownHostsFile`, `~` expanded (`none`: no file); `None` when not given.
    pub global_known_hosts_files: Option<Vec<PathBuf>>,
    pub strict: Option<StrictHostKeyChecking>,
    /// What pio did not honour, for a warning.
    pub warnings: Vec<String>,
    /// The `Host` and `Match` lines (`file:line: Host ...`) whose blocks gave a setting.
    pub blocks: Vec<String>,
}

/// OpenSSH's pattern matching: `*` any run, `?` one character, case-insensitive.
pub fn glob(pattern: &str, text: &str) -> bool {
    let (p, t): (Vec<char>, Vec<char>) = (pattern.chars().collect(), text.chars().collect());
    let (mut pi, mut ti, mut star, mut mark) = (0, 0, None, 0);
    while ti < t.len() {
        if pi < p.len() && (p[pi] == '?' || p[pi].eq_ignore_ascii_case(&t[ti])) {
            pi += 1;
            ti += 1;
        } else if pi < p.len() && p[pi] == '*' {
            star = Some(pi);
            mark = ti;
            pi += 1;
        } else if let Some(s) = star {
            pi = s + 1;
            mark += 1;
            ti = mark;
        } else {
            return false;
        }
    }
    p[pi..].iter().all(|&c| c == '*')
}

/// Whether patterns select `host`: any positive pattern matches and no negated one. Patterns
/// come space-separated (`Host a b`) or comma-separated (`Match host a,b`).
fn host_matches<'a>(patterns: impl IntoIterator<Item = &'a str>, host: &str) -> bool {
    let mut matched = false;
    for p in patterns {
        if let Some(neg) = p.strip_prefix('!') {
            if glob(neg, host) {
                return false;
            }
        } else if glob(p, host) {
            matched = true;
        }
    }
    matched
}

/// One line of a config file, or the lines of a file it includes.
#[derive(Clone, Debug)]
enum Item {
    Line {
        keyword: String,
        value: String,
        /// `file:line`, for warnings.
        at: String,
    },
    Include(Vec<Item>),
}

/// `~/.ssh/config` with its `Include`s read, once per run.
#[derive(Clone, Debug, Default)]
pub struct SshConfig {
    items: Vec<Item>,
    home: PathBuf,
    local_user: String,
    load_warnings: Vec<String>,
    /// Bytes read so far, every file together (at most [`MAX_TOTAL`]).
    read_bytes: u64,
}

/// At most this many nested includes (OpenSSH's limit is 16).
const MAX_DEPTH: usize = 16;
/// The most of SSH config pio reads, every included file together.
const MAX_TOTAL: u64 = 4 << 20;

fn split_keyword(line: &str) -> (&str, &str) {
    match line.find(|c: char| c.is_whitespace() || c == '=') {
        Some(i) => (
            &line[..i],
            line[i..]
                .trim_start_matches(|c: char| c.is_whitespace())
                .trim_start_matches('=')
                .trim(),
        ),
        None => (line, ""),
    }
}

/// Splits a value into words, honouring double quotes as OpenSSH does.
fn words(value: &str) -> Vec<String> {
    let mut out = Vec::new();
    let mut cur = String::new();
    let mut quoted = false;
    let mut any = false;
    for c in value.chars() {
        match c {
            '"' => {
                quoted = !quoted;
                any = true;
            }
            c if c.is_whitespace() && !quoted => {
                if any {
                    out.push(std::mem::take(&mut cur));
                    any = false;
                }
            }
            c => {
                cur.push(c);
                any = true;
            }
        }
    }
    if any {
        out.push(cur);
    }
    out
}

impl SshConfig {
    /// Reads `path` (absent: an empty config) and the files it includes.
    pub fn load(path: &Path, home: &Path, local_user: &str) -> SshConfig {
        let mut config = SshConfig {
            items: Vec::new(),
            home: home.to_path_buf(),
            local_user: local_user.to_string(),
            load_warnings: Vec::new(),
            read_bytes: 0,
        };
        config.items = config.read(path, 0);
        config
    }

    /// A config from text, for tests and for files read elsewhere.
    pub fn parse(text: &str, home: &Path) -> SshConfig {
        let mut config = SshConfig {
            items: Vec::new(),
            home: home.to_path_buf(),
            local_user: String::new(),
            load_warnings: Vec::new(),
            read_bytes: 0,
        };
        config.items = config.parse_text(text, "config", 0);
        config
    }

    fn read(&mut self, path: &Path, depth: usize) -> Vec<Item> {
        // Every file read, Includes and all, counts against one budget: an Include of huge or
        // endless files stops there.
        let left = MAX_TOTAL.saturating_sub(self.read_bytes);
        if left == 0 {
            self.load_warnings.push(format!(
                "{}: not read: the SSH config files read so far hold {} KiB, the most pio reads",
                path.display(),
                MAX_TOTAL / 1024
            ));
            return Vec::new();
        }
        match crate::files::read_bounded(path, left) {
            Ok(bytes) => {
                self.read_bytes += bytes.len() as u64;
                let text = String::from_utf8_lossy(&bytes).into_owned();
                self.parse_text(&text, &path.display().to_string(), depth)
            }
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => Vec::new(),
            Err(e) => {
                self.load_warnings
                    .push(format!("{}: not read: {e}", path.display()));
                Vec::new()
            }
        }
    }

    fn parse_text(&mut self, text: &str, file: &str, depth: usize) -> Vec<Item> {
        let mut items = Vec::new();
        for (i, line) in text.lines().enumerate() {
            let line = line.trim();
            if line.is_empty() || line.starts_with('#') {
                continue;
            }
            let (keyword, value) = split_keyword(line);
            let keyword = keyword.to_ascii_lowercase();
            let at = format!("{file}:{}", i + 1);
            if keyword == "include" {
                if depth >= MAX_DEPTH {
                    self.load_warnings
                        .push(format!("{at}: Include nested too deeply; not followed"));
                    continue;
                }
                let mut included = Vec::new();
                for pattern in words(value) {
                    for path in self.include_paths(&pattern) {
                        included.extend(self.read(&path, depth + 1));
                    }
                }
                items.push(Item::Include(included));
            } else {
                items.push(Item::Line {
                    keyword,
                    value: value.to_string(),
                    at,
                });
            }
        }
        items
    }

    /// The files an `Include` names: relative to `~/.ssh`, with `*`/`?` in the file name
    /// matched against that folder's entries, in lexical order (as glob(3) gives them).
    fn include_paths(&self, pattern: &str) -> Vec<PathBuf> {
        let expanded = self.tilde(pattern);
        let path = if Path::new(&expanded).is_absolute() {
            PathBuf::from(expanded)
        } else {
            self.home.join(".ssh").join(expanded)
        };
        let name = path
            .file_name()
            .map(|n| n.to_string_lossy().into_owned())
            .unwrap_or_default();
        if !name.contains(['*', '?']) {
            return vec![path];
        }
        let dir = path.parent().unwrap_or(Path::new("/"));
        let mut found: Vec<PathBuf> = std::fs::read_dir(dir)
            .into_iter()
            .flatten()
            .flatten()
            .filter(|e| {
                let n = e.file_name().to_string_lossy().into_owned();
                !n.starts_with('.') && glob(&name, &n)
            })
            .map(|e| e.path())
            .collect();
        found.sort();
        found
    }

    fn tilde(&self, value: &str) -> String {
        match value.strip_prefix("~/") {
            Some(rest) => format!("{}/{rest}", self.home.display()),
            None => value.to_string(),
        }
    }

    fn expand(&self, value: &str, host: &str) -> String {
        self.tilde(value)
            .replace("%h", host)
            .replace("%d", &self.home.display().to_string())
            .replace("%u", &self.local_user)
            .replace("%%", "%")
    }

    /// A list of files (`UserKnownHostsFile`, `GlobalKnownHostsFile`), expanded; `none` is none.
    fn files(&self, value: &str, host: &str) -> Vec<PathBuf> {
        words(value)
            .iter()
            .filter(|w| !w.eq_ignore_ascii_case("none"))
            .map(|w| PathBuf::from(self.expand(w, host)))
            .collect()
    }

    /// The settings `ssh` would use for `host`.
    pub fn settings_for(&self, host: &str) -> HostSettings {
        let mut out = HostSettings {
            warnings: self.load_warnings.clone(),
            ..HostSettings::default()
        };
        self.apply(&self.items, host, None, &mut out);
        out
    }

    /// Applies `items` (a file) for `host`; `including` is the block of the `Include` that
    /// read them, if any.
    fn apply(&self, items: &[Item], host: &str, including: Option<&str>, out: &mut HostSettings) {
        // Lines before any Host or Match (of this file) apply as the including block does.
        let mut active = true;
        let mut block = including.map(str::to_string);
        for item in items {
            let (keyword, value, at) = match item {
                Item::Include(inner) => {
                    if active {
                        self.apply(inner, host, block.as_deref(), out);
                    }
                    continue;
                }
                Item::Line { keyword, value, at } => (keyword.as_str(), value.as_str(), at),
            };
            match keyword {
                "host" => {
                    let patterns = words(value);
                    active = host_matches(patterns.iter().map(String::as_str), host);
                    block = Some(format!("{at}: Host {value}"));
                    continue;
                }
                "match" => {
                    active = self.match_block(value, host, at, out);
                    block = Some(format!("{at}: Match {value}"));
                    continue;
                }
                _ if !active => continue,
                _ => {}
            }
            if let Some(b) = &block
                && !out.blocks.contains(b)
            {
                out.blocks.push(b.clone());
            }
            let first = words(value).into_iter().next().unwrap_or_default();
            match keyword {
                "hostname" if out.hostname.is_none() => {
                    out.hostname = Some(self.expand(&first, host));
                }
                "port" if out.port.is_none() => out.port = first.parse().ok(),
                "user" if out.user.is_none() => out.user = Some(first),
                "identityfile" => out
                    .identity_files
                    .push(PathBuf::from(self.expand(&first, host))),
                "identitiesonly" if first.eq_ignore_ascii_case("yes") => out.no_agent = true,
                "identityagent" if first.eq_ignore_ascii_case("none") => out.no_agent = true,
                "identityagent" if first != "SSH_AUTH_SOCK" => out.warnings.push(format!(
                    "{at}: IdentityAgent {first} is not honoured: pio asks the agent at \
                     $SSH_AUTH_SOCK"
                )),
                "proxycommand" | "proxyjump" if out.proxy_command.is_none() => {
                    out.proxy_command = Some(if first.eq_ignore_ascii_case("none") {
                        String::new()
                    } else if keyword == "proxyjump" {
                        proxy_jump(&first)
                    } else {
                        value.to_string()
                    });
                }
                "hostkeyalias" if out.host_key_alias.is_none() => {
                    out.host_key_alias = Some(first);
                }
                "userknownhostsfile" if out.known_hosts_files.is_empty() => {
                    out.known_hosts_files = self.files(value, host);
                }
                "globalknownhostsfile" if out.global_known_hosts_files.is_none() => {
                    out.global_known_hosts_files = Some(self.files(value, host));
                }
                "stricthostkeychecking" if out.strict.is_none() => {
                    out.strict = Some(match first.to_ascii_lowercase().as_str() {
                        "yes" => StrictHostKeyChecking::Yes,
                        "accept-new" => StrictHostKeyChecking::AcceptNew,
                        "no" | "off" => StrictHostKeyChecking::No,
                        _ => StrictHostKeyChecking::Ask,
                    });
                }
                k if UNSUPPORTED.contains(&k) => out
                    .warnings
                    .push(format!("{at}: {keyword} {value} is not honoured by pio")),
                _ => {}
            }
        }
    }

    /// Whether a `Match` line selects `host`: every criterion holds (`!` negates one).
    fn match_block(&self, value: &str, host: &str, at: &str, out: &mut HostSettings) -> bool {
        let words = words(value);
        let mut it = words.iter();
        let mut all = true;
        while let Some(word) = it.next() {
            let (negate, criterion) = match word.strip_prefix('!') {
                Some(c) => (true, c.to_ascii_lowercase()),
                None => (false, word.to_ascii_lowercase()),
            };
            let mut arg = || it.next().map(String::as_str).unwrap_or("");
            let holds = match criterion.as_str() {
                "all" => true,
                // pio does not canonicalise names; its one pass is the final one.
                "canonical" => false,
                "final" => true,
                "host" => {
                    let target = out.hostname.as_deref().unwrap_or(host);
                    host_matches(arg().split(','), target)
                }
                "originalhost" => host_matches(arg().split(','), host),
                "user" => {
                    let user = out.user.as_deref().unwrap_or("pioreactor");
                    host_matches(arg().split(','), user)
                }
                "localuser" => host_matches(arg().split(','), &self.local_user),
                other => {
                    let a = arg();
                    out.warnings.push(format!(
                        "{at}: Match {other} {a} is not supported by pio; that block is not \
                         applied"
                    ));
                    return false;
                }
            };
            all &= holds != negate;
        }
        all
    }
}

/// `ProxyJump host[:port]` as the `ProxyCommand` OpenSSH itself runs for it.
fn proxy_jump(jump: &str) -> String {
    // Several hops (a,b) go through ssh's own handling of the rest.
    let (first, rest) = match jump.split_once(',') {
        Some((a, b)) => (a, Some(b)),
        None => (jump, None),
    };
    let mut cmd = String::from("ssh");
    if let Some(rest) = rest {
        cmd.push_str(&format!(" -J {rest}"));
    }
    let (dest, port) = match first.rsplit_once(':') {
        Some((d, p)) if p.chars().all(|c| c.is_ascii_digit()) => (d, Some(p)),
        _ => (first, None),
    };
    if let Some(p) = port {
        cmd.push_str(&format!(" -p {p}"));
    }
    cmd.push_str(&format!(" -W '[%h]:%p' {dest}"));
    cmd
}

#[cfg(test)]
mod tests {
    use super::*;

    const CONFIG: &str = "\
# lab
IdentityFile ~/.ssh/lab_key

Host pio0? !pio09
    HostName %h.lab.example
    Port 2222
    User=admin

Host pio01
    Port 22
    IdentityFile ~/.ssh/pio01

Match host other
    User nobody

Host *
    User pioreactor
";

    #[test]
    fn first_value_wins_and_patterns_match() {
        let home = Path::new("/home/me");
        let c = SshConfig::parse(CONFIG, home);
        let s = c.settings_for("pio01");
        assert_eq!(s.hostname.as_deref(), Some("pio01.lab.example"));
        assert_eq!(s.port, Some(2222));
        assert_eq!(s.user.as_deref(), Some("admin"));
        assert_eq!(
            s.identity_files,
            [
                PathBuf::from("/home/me/.ssh/lab_key"),
                PathBuf::from("/home/me/.ssh/pio01")
            ]
        );
        let s = c.settings_for("pio09");
        assert_eq!(
            (s.hostname, s.port, s.user.as_deref()),
            (None, None, Some("pioreactor"))
        );
        assert_eq!(c.settings_for("other").user.as_deref(), Some("nobody"));
        // The blocks that gave pio01 a setting, for naming those another name does not get.
        assert_eq!(
            c.settings_for("pio01").blocks,
            [
                "config:4: Host pio0? !pio09",
                "config:9: Host pio01",
                "config:16: Host *"
            ]
        );
        assert!(glob("p*o?", "pXXoZ") && !glob("p*o?", "pXXo"));
    }

    #[test]
    fn match_include_proxy_and_host_keys() {
        let dir = tempfile::tempdir().unwrap();
        let home = dir.path();
        std::fs::create_dir_all(home.join(".ssh/conf.d")).unwrap();
        std::fs::write(
            home.join(".ssh/conf.d/10-lab.conf"),
            "Host pio*\n    ProxyJump bastion:2200\n    HostKeyAlias lab-pio\n",
        )
        .unwrap();
        std::fs::write(
            home.join(".ssh/config"),
            "Include conf.d/*.conf\n\
             Match originalhost pio02 !user root\n\
             \x20   UserKnownHostsFile ~/.ssh/lab_hosts /etc/other\n\
             \x20   GlobalKnownHostsFile ~/lab/global none\n\
             \x20   StrictHostKeyChecking accept-new\n\
             Match exec \"true\"\n\
             \x20   User nobody\n\
             Host pio03\n\
             \x20   IdentitiesOnly yes\n\
             \x20   ProxyCommand none\n",
        )
        .unwrap();
        let c = SshConfig::load(&home.join(".ssh/config"), home, "me");
        let s = c.settings_for("pio02");
        assert_eq!(
            s.proxy_command.as_deref(),
            Some("ssh -p 2200 -W '[%h]:%p' bastion")
        );
        assert_eq!(s.host_key_alias.as_deref(), Some("lab-pio"));
        assert_eq!(
            s.known_hosts_files,
            [home.join(".ssh/lab_hosts"), PathBuf::from("/etc/other")]
        );
        assert_eq!(
            s.global_known_hosts_files,
            Some(vec![home.join("lab/global")])
        );
        assert_eq!(s.strict, Some(StrictHostKeyChecking::AcceptNew));
        assert_eq!(s.user, None);
        assert!(
            s.warnings.iter().any(|w| w.contains("Match exec")),
            "{:?}",
            s.warnings
        );
        // The first ProxyJump (from the include) wins over the later `none`.
        let s = c.settings_for("pio03");
        assert!(s.no_agent);
        assert!(s.proxy_command.is_some());
        assert_eq!(s.strict, None);
        assert_eq!(s.global_known_hosts_files, None);
        assert_eq!(
            proxy_jump("a,b:22"),
            "ssh -J b:22 -W '[%h]:%p' a".to_string()
        );
    }
}
