//! Unit names (hostnames) and unit addresses, validated before they reach a file or a shell.

use std::borrow::Cow;
use std::fmt;
use std::net::Ipv4Addr;

/// A valid unit name: an RFC 1123 label in lower case. Only these ever reach config.ini, a
/// remote shell or a URL.
#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct UnitName(String);

const NAME_RULES: &str = "A unit name is its hostname: lower-case letters a-z, digits and '-', \
1 to 63 characters, not starting or ending with '-'.";

/// Why a string is not a unit name; the message says what to type instead where it can.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct NameError {
    pub input: String,
    pub reason: String,
    pub hint: String,
}

impl fmt::Display for NameError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "'{}' is not a valid unit name: {}",
            shown(&self.input),
            self.reason
        )
    }
}

/// The most characters of a refused input a message repeats.
const SHOWN_CHARS: usize = 80;

/// An input as an error message shows it: a huge one cut to its first characters and its length.
pub fn shown(input: &str) -> std::borrow::Cow<'_, str> {
    match input.char_indices().nth(SHOWN_CHARS) {
        None => input.into(),
        Some((end, _)) => format!(
            "{}... ({} characters)",
            &input[..end],
            input.chars().count()
        )
        .into(),
    }
}

impl UnitName {
    pub fn parse(input: &str) -> Result<UnitName, NameError> {
        let fail = |reason: &str, hint: String| NameError {
            input: input.to_string(),
            reason: reason.to_string(),
            hint,
        };
        let rules = NAME_RULES.to_string();
        if input.is_empty() {
            return Err(fail("it is empty", rules));
        }
        if input.parse::<Ipv4Addr>().is_ok()
            || input.contains(':') && input.parse::<std::net::Ipv6Addr>().is_ok()
        {
            return Err(fail(
                "that is an IP address, not a name",
                "Give the unit's hostname, and its address with -a/--address.".to_string(),
            ));
        }
        if let Some(stem) = input.strip_suffix(".local") {
            return Err(fail(
                "the '.local' suffix is not part of the name",
                format!("Use '{stem}'; pio adds .local itself when it looks the unit up by mDNS."),
            ));
        }
        if input.eq_ignore_ascii_case("localhost") {
            return Err(fail(
                "'localhost' names whichever machine you are on",
                "Use the unit's own hostname (run `hostname` on it).".to_string(),
            ));
        }
        if input.len() > 63 {
            return Err(fail("it is longer than 63 characters", rules));
        }
        if let Some(bad) = input
            .chars()
            .find(|c| !(c.is_ascii_lowercase() || c.is_ascii_digit() || *c == '-'))
        {
            let reason = match bad {
                c if c.is_ascii_uppercase() => "it has upper-case letters".to_string(),
                '_' => "'_' is not allowed in hostnames".to_string(),
                '.' => "'.' is not allowed: give the bare hostname, not a domain name".to_string(),
                c if c.is_whitespace() => "it contains white space".to_string(),
                c => format!("{c:?} is not allowed"),
            };
            let suggestion = input.to_ascii_lowercase().replace('_', "-");
            let hint = match suggestion != input && UnitName::parse(&suggestion).is_ok() {
                true => format!("Did you mean '{suggestion}'? {NAME_RULES}"),
                false => rules,
            };
            return Err(fail(&reason, hint));
        }
        if input.starts_with('-') || input.ends_with('-') {
            return Err(fail("it starts or ends with '-'", rules));
        }
        Ok(UnitName(input.to_string()))
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl fmt::Display for UnitName {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

/// Parses a unit's static address: dotted-quad IPv4 of a single host.
pub fn parse_address(input: &str) -> Result<Ipv4Addr, NameError> {
    let fail = |reason: &str| {
        NameError {
        input: input.to_string(),
        reason: reason.to_string(),
        hint: "Give a dotted IPv4 address such as 192.168.1.42 (four numbers 0-255, no leading zeros)."
            .to_string(),
    }
    };
    // Rust's parser rejects leading zeros ("010" would be octal to some tools) and short forms.
    let ip: Ipv4Addr = input
        .parse()
        .map_err(|_| fail("it is not a dotted IPv4 address"))?;
    if ip.is_unspecified() || ip.is_broadcast() || ip.is_multicast() {
        return Err(fail("it does not name a single host"));
    }
    Ok(ip)
}

const ADDRESS_RULES: &str = "Give a dotted IPv4 address such as 192.168.1.42, or a hostname such \
as pio02.local: no port, user, path or URL (pio uses port 22 for SSH, or the Port in \
~/.ssh/config, and [ui] port for the web API).";

/// Checks a static address as config.ini gives it (`[cluster.addresses]`, `leader_address`):
/// dotted IPv4 of a single host, or a hostname (Pioreactor 25.8 and later write `pio02.local`).
/// Nothing else (a port, a user, a path, a URL, white space or a control character) may reach
/// an SSH connection, a URL or a printed command.
pub fn check_static_address(input: &str) -> Result<(), NameError> {
    let fail = |reason: String| NameError {
        input: input.to_string(),
        reason,
        hint: ADDRESS_RULES.to_string(),
    };
    if input.is_empty() {
        return Err(fail("it is empty".into()));
    }
    if input.parse::<Ipv4Addr>().is_ok() {
        return parse_address(input).map(drop).map_err(|e| fail(e.reason));
    }
    if let Some(bad) = input
        .chars()
        .find(|c| !(c.is_ascii_alphanumeric() || *c == '-' || *c == '.'))
    {
        return Err(fail(match bad {
            ':' => "':' is not allowed (a port or an IPv6 address)".into(),
            '/' => "'/' is not allowed (a path or a URL)".into(),
            '@' => "'@' is not allowed (a user name)".into(),
            c if c.is_whitespace() => "it contains white space".into(),
            c => format!("{c:?} is not allowed"),
        }));
    }
    // A fully qualified name may end with its root's dot (`pio02.local.`).
    let host = input.strip_suffix('.').unwrap_or(input);
    if host.len() > 253 {
        return Err(fail("it is longer than 253 characters".into()));
    }
    for label in host.split('.') {
        if label.is_empty() {
            return Err(fail("it has an empty part between dots".into()));
        }
        if label.len() > 63 {
            return Err(fail(
                "a part between dots is longer than 63 characters".into(),
            ));
        }
        if label.starts_with('-') || label.ends_with('-') {
            return Err(fail("a part between dots starts or ends with '-'".into()));
        }
    }
    // `10.0.0`, `010.0.0.1`, `10.0.0.256`: a mistyped IPv4, not a hostname.
    if host
        .rsplit('.')
        .next()
        .is_some_and(|last| last.bytes().all(|b| b.is_ascii_digit()))
    {
        return Err(fail(
            "it is not a dotted IPv4 address (four numbers 0-255, no leading zeros)".into(),
        ));
    }
    Ok(())
}

/// Whether two unit names name one unit: the one comparison rule, Python's lower-casing of
/// configparser keys (`str.lower`), which the leader's database and `hostname` follow too.
/// (config.ini's keys compare by it: the INI layer imports it from here.)
pub fn same(a: &str, b: &str) -> bool {
    key_eq(a, b)
}

/// A key as Python's `str.lower` spells it (the Python releases up to 2023 lower-case every key),
/// borrowed when it is lower-case ASCII already.
pub fn fold_key(key: &str) -> Cow<'_, str> {
    if key.is_ascii() {
        if key.bytes().any(|b| b.is_ascii_uppercase()) {
            Cow::Owned(key.to_ascii_lowercase())
        } else {
            Cow::Borrowed(key)
        }
    } else {
        // Unicode lower-casing with Final_Sigma, as Python's: KELVIN SIGN is `k`.
        Cow::Owned(key.to_lowercase())
    }
}

/// Whether two keys are one key to a Python release that lower-cases keys (`str.lower`).
pub fn key_eq(a: &str, b: &str) -> bool {
    // Keys that differ at most in ASCII case fold alike; only a non-ASCII pair needs folding.
    // (eq_ignore_ascii_case compares lengths first: a scan of 10,000 workers meets mostly
    // unequal keys, which it turns down before any scan for non-ASCII bytes.)
    if a.eq_ignore_ascii_case(b) {
        true
    } else if a.is_ascii() && b.is_ascii() {
        false
    } else {
        fold_key(a) == fold_key(b)
    }
}

/// Orders keys as their [`fold_key`] spellings, allocating only for non-ASCII keys (this runs
/// inside the sorts of inventories with thousands of workers). Consistent with [`key_eq`].
pub fn key_cmp(a: &str, b: &str) -> std::cmp::Ordering {
    if a.is_ascii() && b.is_ascii() {
        let (x, y) = (a.as_bytes(), b.as_bytes());
        for (p, q) in x.iter().zip(y) {
            let (p, q) = (p.to_ascii_lowercase(), q.to_ascii_lowercase());
            if p != q {
                return p.cmp(&q);
            }
        }
        x.len().cmp(&y.len())
    } else {
        fold_key(a).cmp(&fold_key(b))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn accepts_rfc1123_labels() {
        for ok in ["pio01", "a", "worker-3", "0pio", &"a".repeat(63)] {
            assert_eq!(UnitName::parse(ok).unwrap().as_str(), ok);
        }
    }

    #[test]
    fn rejects_everything_else_with_a_reason() {
        for (bad, reason) in [
            ("", "empty"),
            ("Pio01", "upper-case"),
            ("pio_01", "'_'"),
            ("pio01.local", ".local"),
            ("pio.lab", "'.'"),
            ("localhost", "localhost"),
            ("LocalHost", "localhost"),
            ("10.0.0.1", "IP address"),
            ("-pio", "'-'"),
            ("pio-", "'-'"),
            ("a;reboot", "';'"),
            ("a b", "white space"),
            ("$(reboot)", "'$'"),
        ] {
            let e = UnitName::parse(bad).unwrap_err();
            assert!(e.to_string().contains(reason), "{bad}: {e}");
        }
        assert!(UnitName::parse(&"a".repeat(64)).is_err());
    }

    #[test]
    fn static_addresses_are_ipv4_or_hostnames() {
        for ok in [
            "127.0.1.5",
            "pio02.local",
            "pio02.local.",
            "Pio02.local",
            "pio02",
            "pio-02.lab.example",
            "localhost",
        ] {
            assert!(check_static_address(ok).is_ok(), "{ok}");
        }
        for (bad, why) in [
            ("", "empty"),
            ("1.2.3.4:22", "port"),
            ("pio02.local:22", "port"),
            ("/x", "path"),
            ("http://pio02.local", "':'"),
            ("pioreactor@pio02.local", "user"),
            ("pio 02", "white space"),
            ("pio02\x1b[2J", "'\\u{1b}'"),
            ("pio02;reboot", "';'"),
            ("fe80::1", "':'"),
            ("10.0.0", "IPv4"),
            ("010.0.0.1", "IPv4"),
            ("0.0.0.0", "single host"),
            ("pio..local", "empty part"),
            (".", "empty part"),
            ("pio02..", "empty part"),
            ("-pio.local", "'-'"),
        ] {
            let e = check_static_address(bad).unwrap_err();
            assert!(e.reason.contains(why), "{bad:?}: {}", e.reason);
        }
        assert!(check_static_address(&format!("{}.local", "a".repeat(64))).is_err());
        assert!(check_static_address(&"a.".repeat(127)).is_ok()); // 253 and the root dot
        assert!(check_static_address(&format!("{}a", "a.".repeat(127))).is_err());
    }

    #[test]
    fn huge_inputs_are_shown_cut() {
        let e = UnitName::parse(&"a".repeat(65_536)).unwrap_err();
        let text = e.to_string();
        assert!(
            text.len() < 200 && text.contains("(65536 characters)"),
            "{text}"
        );
    }

    #[test]
    fn addresses_are_single_host_ipv4() {
        assert_eq!(
            parse_address("127.0.1.5").unwrap(),
            Ipv4Addr::new(127, 0, 1, 5)
        );
        for bad in [
            "10.0.0",
            "10.0.0.256",
            "010.0.0.1",
            "0.0.0.0",
            "255.255.255.255",
            "224.0.0.251",
            "pio01",
            "::1",
            " 10.0.0.1",
        ] {
            assert!(parse_address(bad).is_err(), "{bad}");
        }
    }
}
