//! The commands pio sends over SSH, built in this one place: fixed words, numbers pio formats
//! itself, and every other argument (a hostname) quoted for the unit's shell by `shlex`. No
//! name or other input can change what a command does.

pub const HOSTNAME: &str = "hostname";
/// `hostname`, then the release where the Python stack is installed (nothing where it is not, or
/// where it takes longer than 5 s: a slow Python start-up never makes a unit look down).
pub const HOSTNAME_AND_VERSION: &str = "hostname && { timeout 5 pio version 2>/dev/null || true; }";
pub const IS_PIOREACTOR: &str = "test -d ~/.pioreactor";
pub const REBOOT: &str = "sudo reboot";
/// 26.5's repair of the unit's Pioreactor files and services.
pub const REPAIR: &str = "pio repair";
/// Powers the unit off (what `pios shutdown` runs on every release).
pub const SHUTDOWN: &str = "sudo shutdown -h now";
pub const HALT_JOBS: &str = "pio kill --all-jobs";
pub const IDENTIFY: &str = "pio identify";
pub const BLINK: &str = "pio blink";
/// The unit's release: every release prints the bare version.
pub const VERSION: &str = "pio version";
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

/// The Python CLI's update of the unit's own software: to `version`, else its default (the
/// latest release).
pub fn update_app(version: Option<&str>) -> String {
    match version {
        Some(v) => shell_words(&["pio", "update", "app", "--version", v]),
        None => "pio update app".to_string(),
    }
}

/// Sets the unit's clock to the leader's.
pub fn set_clock(epoch: u64) -> String {
    format!("sudo date -u --set=@{epoch}")
}

/// Sets the unit's clock to `epoch`, to the millisecond (`clock --sync`).
pub fn set_clock_to(epoch: f64) -> String {
    format!("sudo date -u --set=@{:.3}", epoch.max(0.0))
}

/// What [`chrony_sync`] prints where chrony has not the leader as a source.
pub const NO_CHRONY_SOURCE: &str = "no chrony source at the leader";

/// Syncs the unit's clock from its chrony sources as the web API's sync does (stop chrony,
/// `chronyd -q`, start chrony again), where chrony has the leader (`leader_address`) as a
/// `server` or `pool`; elsewhere prints [`NO_CHRONY_SOURCE`] and changes nothing. `chronyd`
/// gives up after `seconds` (it would wait for ever for a source that does not answer), and
/// chrony is started again whatever it did.
pub fn chrony_sync(leader_address: &str, seconds: u32) -> String {
    // A pattern for grep -E: an address or hostname has no other special character than `.`.
    let address = leader_address.replace('.', "\\.");
    let pattern = format!("^[[:space:]]*(server|pool)[[:space:]]+{address}([[:space:]]|$)");
    format!(
        "if ! {} {CHRONY_CONF} /etc/chrony/conf.d/*.conf; then echo {}; exit 0; fi; \
         sudo systemctl stop chrony; sudo chronyd -q -t {}; r=$?; sudo systemctl start chrony; \
         exit $r",
        shell_words(&["grep", "-qsE", &pattern]),
        shell_words(&[NO_CHRONY_SOURCE]),
        seconds.max(1)
    )
}

/// 26.11's own joining step on the worker: it sets the clock, makes the leader its chrony source
/// and, given one, takes and reports its model (both name and version, or neither).
pub fn cluster_join(epoch: u64, model: Option<(&str, &str)>) -> String {
    let mut words = vec![
        "pio".to_string(),
        "cluster".into(),
        "join".into(),
        "--leader-time".into(),
        epoch.to_string(),
    ];
    if let Some((name, version)) = model {
        words.extend(["--model-name".into(), name.to_string()]);
        words.extend(["--model-version".into(), version.to_string()]);
    }
    let words: Vec<&str> = words.iter().map(String::as_str).collect();
    shell_words(&words)
}

/// Where 24.5.1-26.10 workers take their chrony sources from.
pub const CHRONY_CONF: &str = "/etc/chrony/chrony.conf";

/// The line the Python add (24.5.1 to 26.10) appended to a worker's chrony configuration.
pub fn chrony_line(leader_address: &str) -> String {
    format!("server {leader_address} iburst prefer")
}

/// Makes the leader the worker's chrony source as the Python add did, but idempotently: the
/// line is appended only when the file does not have it already (the Python add appended one
/// more at every re-add).
pub fn chrony_source(leader_address: &str) -> String {
    let line = chrony_line(leader_address);
    format!(
        "{} || {} | {} >/dev/null",
        shell_words(&["grep", "-qxF", &line, CHRONY_CONF]),
        shell_words(&["echo", &line]),
        shell_words(&["sudo", "tee", "-a", CHRONY_CONF]),
    )
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

/// Writes the unit's `~/.pioreactor` as a zip to stdout, in the web UI's format (paths relative
/// to it, and `pioreactor_export_metadata.json` naming the unit): every SQLite database in it
/// (the leader's, the workers' caches) through SQLite's online backup, never a copy of the
/// live file; their `-wal`, `-shm` and `-journal` files and `storage/pioreactor.sqlite.backup`
/// (a copy the Python stack makes; the web UI leaves it out too) are left out, and so are links
/// that lead out of `~/.pioreactor` and links to folders (named on stderr). Python 3.7 and
/// later: every Pioreactor image. argv: unit, leader, release, the time.
const BACKUP_SCRIPT: &str = r#"# pio backup
import json,os,sqlite3,sys,tempfile,zipfile
unit,leader,release,when=sys.argv[1:5]
base=os.path.realpath(os.path.expanduser('~/.pioreactor'))
z=zipfile.ZipFile(sys.stdout.buffer,'w',zipfile.ZIP_DEFLATED)
def is_db(p):
    try:
        with open(p,'rb') as f: return f.read(16)==b'SQLite format 3\x00'
    except OSError: return False
def add_db(p,name):
    fd,t=tempfile.mkstemp(prefix='pio-backup-',suffix='.sqlite'); os.close(fd)
    try:
        s=sqlite3.connect(p,timeout=60); d=sqlite3.connect(t)
        s.backup(d); d.close(); s.close(); z.write(t,name)
    finally: os.unlink(t)
for d,ds,fs in os.walk(base):
    ds.sort(); fs.sort()
    for n in list(ds):
        p=os.path.join(d,n)
        if os.path.islink(p):
            sys.stderr.write('left out (a link to a folder): %s\n'%os.path.relpath(p,base)); ds.remove(n)
        else: z.write(p,os.path.relpath(p,base))
    dbs=set(n for n in fs if is_db(os.path.join(d,n)))
    for n in fs:
        p=os.path.join(d,n); name=os.path.relpath(p,base); r=os.path.realpath(p)
        if name=='storage/pioreactor.sqlite.backup' or any(n==b+x for b in dbs for x in ('-wal','-shm','-journal')): continue
        if not (r.startswith(base+os.sep) and os.path.isfile(r)):
            sys.stderr.write('left out (a link out of ~/.pioreactor): %s\n'%name); continue
        if n in dbs: add_db(p,name)
        else: z.write(p,name)
z.writestr('pioreactor_export_metadata.json',json.dumps({'metadata_version':1,'name':unit,'leader_hostname':leader,'is_leader':unit==leader,'app_version':release,'exported_at_utc':when,'made_by':'pio'}))
z.close()
"#;

/// Puts the zip at `~/<archive>` in place of `~/.pioreactor`: every member checked again (no
/// absolute path, no `..`, no link, device or FIFO) before anything is extracted, into a new
/// folder beside it; then the old folder is renamed `.pioreactor.before-restore-<time>` (kept:
/// its path is printed) and the new one takes its name. `ui` and `hardware`, when the archive
/// lacks them, are copied from the old folder (as the web UI's import does). The archive is
/// removed in every case. argv: the archive, the time.
const RESTORE_SCRIPT: &str = r#"# pio restore
import os,shutil,stat,sys,tempfile,zipfile
home=os.path.expanduser('~'); base=os.path.join(home,'.pioreactor'); archive=os.path.join(home,sys.argv[1])
try:
    z=zipfile.ZipFile(archive)
    for i in z.infolist():
        n=i.filename; kind=(i.external_attr>>16)&0o170000
        if n.startswith('/') or '\\' in n or '\x00' in n or '..' in n.split('/') or kind not in (0,0o100000,0o040000):
            sys.exit('refused: the archive has %r'%n)
    new=tempfile.mkdtemp(prefix='.pioreactor.restore-',dir=home)
    try:
        for i in z.infolist():
            if i.filename=='pioreactor_export_metadata.json': continue
            p=z.extract(i,new); mode=(i.external_attr>>16)&0o777
            if mode and not i.is_dir(): os.chmod(p,mode)
        for k in ('ui','hardware'):
            if not os.path.exists(os.path.join(new,k)) and os.path.isdir(os.path.join(base,k)):
                shutil.copytree(os.path.join(base,k),os.path.join(new,k),symlinks=True)
        old=base+'.before-restore-'+sys.argv[2]
        if os.path.lexists(base):
            os.chmod(new,stat.S_IMODE(os.lstat(base).st_mode)); os.rename(base,old)
        else: os.chmod(new,0o755); old=''
    except BaseException:
        shutil.rmtree(new,ignore_errors=True); raise
    os.rename(new,base)
    print(old)
finally:
    os.unlink(archive)
"#;

/// [`BACKUP_SCRIPT`] for `unit`, whose leader is `leader`, of `release`, at `when` (UTC).
pub fn backup(unit: &str, leader: &str, release: &str, when: &str) -> String {
    shell_words(&["python3", "-c", BACKUP_SCRIPT, unit, leader, release, when])
}

/// [`RESTORE_SCRIPT`] for the archive at `~/<archive>` (a bare file name), stamped `when`.
pub fn restore(archive: &str, when: &str) -> String {
    shell_words(&["python3", "-c", RESTORE_SCRIPT, archive, when])
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
        assert_eq!(
            cluster_join(1_700_000_000, Some(("pioreactor_40ml", "1.5"))),
            "pio cluster join --leader-time 1700000000 --model-name pioreactor_40ml --model-version 1.5"
        );
        assert_eq!(cluster_join(7, None), "pio cluster join --leader-time 7");
        assert_eq!(
            chrony_source("10.0.0.1"),
            "grep -qxF 'server 10.0.0.1 iburst prefer' /etc/chrony/chrony.conf || \
             echo 'server 10.0.0.1 iburst prefer' | sudo tee -a /etc/chrony/chrony.conf >/dev/null"
        );
        assert_eq!(identify_for(2.0), "pio identify --duration 2.0");
        assert_eq!(
            set_clock_to(1.5e9 + 0.25),
            "sudo date -u --set=@1500000000.250"
        );
        assert_eq!(
            chrony_sync("pio01.local", 8),
            "if ! grep -qsE '^[[:space:]]*(server|pool)[[:space:]]+pio01\\.local([[:space:]]|$)' \
             /etc/chrony/chrony.conf /etc/chrony/conf.d/*.conf; then echo 'no chrony source at the \
             leader'; exit 0; fi; sudo systemctl stop chrony; sudo chronyd -q -t 8; r=$?; sudo \
             systemctl start chrony; exit $r"
        );
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
