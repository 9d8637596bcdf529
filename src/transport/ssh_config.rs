//! The part of `~/.ssh/config` that decides where `ssh <unit>` goes: the `Host` blocks matching
//! the unit's name and their `HostName`, `Port`, `User` and `IdentityFile`. As in OpenSSH, the
//! first value given for a keyword wins.

use std::path::{Path, PathBuf};

#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct HostSettings {
    pub hostname: Option<String>,
    pub port: Option<u16>,
    pub user: Option<String>,
    pub identity_files: Vec<PathBuf>,
}

/// OpenSSH's pattern matching: `*` any run, `?` one character.
fn glob(pattern: &str, text: &str) -> bool {
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

/// Whether a `Host` line's patterns select `host`: any positive pattern matches and no negated one.
fn host_matches(patterns: &[&str], host: &str) -> bool {
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

fn expand(value: &str, host: &str, home: &Path) -> String {
    let value = match value.strip_prefix("~/") {
        Some(rest) => format!("{}/{rest}", home.display()),
        None => value.to_string(),
    };
    value
        .replace("%h", host)
        .replace("%d", &home.display().to_string())
        .replace("%%", "%")
}

/// The settings `ssh` would use for `host`, read from the text of an ssh_config file.
pub fn settings_for(config: &str, host: &str, home: &Path) -> HostSettings {
    let mut out = HostSettings::default();
    // Lines before any Host or Match apply to every host.
    let mut active = true;
    for line in config.lines() {
        let line = line.trim();
        if line.is_empty() || line.starts_with('#') {
            continue;
        }
        let (keyword, rest) = match line.find(|c: char| c.is_whitespace() || c == '=') {
            Some(i) => (
                &line[..i],
                line[i..].trim_start_matches(|c: char| c.is_whitespace() || c == '='),
            ),
            None => (line, ""),
        };
        let value = rest.trim().trim_matches('"');
        match keyword.to_ascii_lowercase().as_str() {
            "host" => {
                let patterns: Vec<&str> = rest.split_whitespace().collect();
                active = host_matches(&patterns, host);
            }
            // Match criteria are beyond what pio needs; their settings are not applied.
            "match" => active = false,
            _ if !active => {}
            "hostname" if out.hostname.is_none() => out.hostname = Some(expand(value, host, home)),
            "port" if out.port.is_none() => out.port = value.parse().ok(),
            "user" if out.user.is_none() => out.user = Some(value.to_string()),
            "identityfile" => out
                .identity_files
                .push(PathBuf::from(expand(value, host, home))),
            _ => {}
        }
    }
    out
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
        let s = settings_for(CONFIG, "pio01", home);
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
        let s = settings_for(CONFIG, "pio09", home);
        assert_eq!(
            (s.hostname, s.port, s.user.as_deref()),
            (None, None, Some("pioreactor"))
        );
        assert!(glob("p*o?", "pXXoZ") && !glob("p*o?", "pXXo"));
    }
}
