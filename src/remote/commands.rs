//! The commands pio sends over SSH, built in this one place: fixed words, numbers pio formats
//! itself, and every other argument (a hostname) quoted for the unit's shell by `shlex`. No
//! name or other input can change what a command does.

pub const HOSTNAME: &str = "hostname";
pub const IS_PIOREACTOR: &str = "test -d ~/.pioreactor";
pub const REBOOT: &str = "sudo reboot";
pub const HALT_JOBS: &str = "pio kill --all-jobs";
pub const IDENTIFY: &str = "pio identify";
pub const BLINK: &str = "pio blink";
/// Changes at every boot: tells a unit that restarted from one that only answered again.
pub const BOOT_ID: &str = "cat /proc/sys/kernel/random/boot_id";
/// The unit's clock, in seconds since the epoch.
pub const CLOCK: &str = "date -u +%s.%N";

/// One command line for the unit's shell: each word quoted where it needs to be, as Python's
/// `shlex.quote` does (the `shlex` crate's mixed quoting garbles sed expressions for readers).
pub fn shell_words(words: &[&str]) -> String {
    words.iter().map(|w| quote(w)).collect::<Vec<_>>().join(" ")
}

/// A word as POSIX sh reads it literally: as is when every character is plainly safe, else in
/// single quotes, each `'` written `'"'"'`. A NUL cannot be passed to a command and is dropped.
fn quote(word: &str) -> String {
    let safe = |c: char| c.is_ascii_alphanumeric() || "@%+=:,./-_".contains(c);
    if !word.is_empty() && word.chars().all(safe) {
        return word.to_string();
    }
    format!("'{}'", word.replace('\0', "").replace('\'', r#"'"'"'"#))
}

// Numbers pio formats itself need no quoting: digits (and a point) are the same to the shell.

/// Sets the unit's clock to the leader's.
pub fn set_clock(epoch: u64) -> String {
    format!("sudo date -u --set=@{epoch}")
}

/// The database era's own joining step on the worker (newer images have it).
pub fn cluster_join(epoch: u64) -> String {
    format!("pio cluster join --leader-time {epoch}")
}

/// Blinks the unit's LED for `seconds`.
pub fn identify_for(seconds: f64) -> String {
    format!("{IDENTIFY} --duration {:.1}", seconds.max(0.0))
}

/// Renames the unit.
pub fn set_hostname(new: &str) -> String {
    shell_words(&["sudo", "hostnamectl", "set-hostname", new])
}

/// Replaces the unit's old name by its new one in its `/etc/hosts`.
pub fn rename_in_etc_hosts(old: &str, new: &str) -> String {
    let expression = format!(
        "s/(^|[[:space:]]){}([[:space:]]|$)/\\1{new}\\2/g",
        old.to_ascii_lowercase()
    );
    shell_words(&["sudo", "sed", "-i", "-E", &expression, "/etc/hosts"])
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn arguments_are_quoted_for_the_shell() {
        assert_eq!(set_hostname("pio12"), "sudo hostnamectl set-hostname pio12");
        assert_eq!(
            set_hostname("x';id>/tmp/p;'"),
            r#"sudo hostnamectl set-hostname 'x'"'"';id>/tmp/p;'"'"''"#
        );
        assert_eq!(set_clock(1_700_000_000), "sudo date -u --set=@1700000000");
        assert_eq!(identify_for(2.0), "pio identify --duration 2.0");
        assert_eq!(
            rename_in_etc_hosts("PIO07", "pio12"),
            r"sudo sed -i -E 's/(^|[[:space:]])pio07([[:space:]]|$)/\1pio12\2/g' /etc/hosts"
        );
        // What the shell would run is exactly the words given.
        let line = shell_words(&["echo", "a b", "$(id)", "`id`", "'", "\\", ""]);
        let out = std::process::Command::new("sh")
            .args(["-c", &format!("printf '%s\\n' {}", &line["echo ".len()..])])
            .output()
            .unwrap();
        assert_eq!(
            String::from_utf8(out.stdout).unwrap(),
            "a b\n$(id)\n`id`\n'\n\\\n\n"
        );
    }
}
