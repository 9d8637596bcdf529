//! Where and as whom a unit is reached: its address (written, or found by mDNS), the SSH target
//! as `ssh` would see it through `~/.ssh/config`, the known_hosts files read once per run, and
//! the login (`pi` on images before 22.4).

use super::*;

impl<'c> Remote<'c> {
    /// The known_hosts file a unit's key is kept in (the first `UserKnownHostsFile`, by default
    /// `~/.ssh/known_hosts`).
    pub fn known_hosts_file(&self, name: &str) -> PathBuf {
        self.ssh_target(name, name).known_hosts
    }

    /// The unit's address to connect to, by the one rule ([`Cluster::reach`]): a written IPv4 or
    /// name as is, a `.local` name (written or not) looked up by mDNS.
    pub fn address(&self, cluster: &Cluster, name: &str) -> std::result::Result<String, String> {
        // Commands refuse these before they start; never mDNS in place of a line that is wrong.
        if let Some(f) = cluster.flaws_of(&[name]).first() {
            return Err(f.message.clone());
        }
        let reach = cluster.reach(name);
        match reach.mdns_name(name) {
            Some(host) => self.resolve_mdns(&host).map(|ip| ip.to_string()),
            None => Ok(reach.host(name)),
        }
    }

    pub fn resolve_mdns(&self, name: &str) -> std::result::Result<std::net::Ipv4Addr, String> {
        if !self.env.mdns {
            return Err(format!(
                "{name} has no address in [cluster.addresses] and mDNS is off (PIO_MDNS=0)"
            ));
        }
        mdns::resolve(name, self.timeout.min(crate::timeouts::MDNS_RESOLVE_MAX))
    }

    /// The known_hosts files `files`, read once.
    fn known_hosts_in(&self, files: &[PathBuf]) -> Arc<KnownHosts> {
        let mut cache = self.known.lock().unwrap_or_else(|e| e.into_inner());
        if let Some((_, k)) = cache.iter().find(|(f, _)| f == files) {
            return k.clone();
        }
        let loaded = KnownHosts::load(files);
        for why in &loaded.unread {
            self.warn_once(format!(
                "{why}; the host keys in it are not consulted, and no new key is accepted \
                 without asking (StrictHostKeyChecking accept-new) until it can be read"
            ));
        }
        let loaded = Arc::new(loaded);
        cache.push((files.to_vec(), loaded.clone()));
        loaded
    }

    fn warn_once(&self, warning: String) {
        let mut warned = self.warned.lock().unwrap_or_else(|e| e.into_inner());
        if !warned.contains(&warning) {
            (self.env.warn)(&warning);
            warned.push(warning);
        }
    }

    /// The SSH target for a unit at `address`, as `ssh` would see it through `~/.ssh/config`:
    /// where to connect (through any `ProxyCommand`), as whom, with which keys, and the names
    /// its host key is filed under in known_hosts (OpenSSH's: the `HostKeyAlias`, else the
    /// `HostName`, else the name it is reached by; the address and bare name are accepted too).
    pub fn ssh_target(&self, name: &str, address: &str) -> Target {
        let lower = name.to_ascii_lowercase();
        let reached_by = self.reached_by(name);
        let s = self.ssh_config.settings_for(&reached_by);
        for w in &s.warnings {
            self.warn_once(format!("~/.ssh/config: {w}"));
        }
        self.warn_of_bare_name_blocks(&lower, &reached_by, &s);
        let mut identity_files = s.identity_files;
        for default in ["id_ed25519", "id_ecdsa", "id_rsa"] {
            let path = self.env.home.join(".ssh").join(default);
            if !identity_files.contains(&path) {
                identity_files.push(path);
            }
        }
        let port = s.port.unwrap_or(22);
        let connect_to = s.hostname.clone().unwrap_or_else(|| address.to_string());
        let primary = match &s.host_key_alias {
            Some(alias) => alias.clone(),
            None => known_hosts::host_pattern(s.hostname.as_deref().unwrap_or(&reached_by), port),
        };
        let mut also = Vec::new();
        for host in [
            connect_to.as_str(),
            address,
            &reached_by,
            &lower,
            &format!("{lower}.local"),
        ] {
            let pattern = known_hosts::host_pattern(host, port);
            if pattern != primary && !also.contains(&pattern) {
                also.push(pattern);
            }
        }
        let user_files = if s.known_hosts_files.is_empty() {
            vec![
                self.env.home.join(".ssh/known_hosts"),
                self.env.home.join(".ssh/known_hosts2"),
            ]
        } else {
            s.known_hosts_files
        };
        // The global files are read after the user's, never written (as OpenSSH does).
        let global_files = s
            .global_known_hosts_files
            .unwrap_or_else(|| self.env.global_known_hosts.clone());
        let files: Vec<PathBuf> = user_files.iter().cloned().chain(global_files).collect();
        Target {
            name: name.to_string(),
            address: connect_to,
            port,
            user: s.user.unwrap_or_else(|| {
                self.lock_users()
                    .get(&lower)
                    .copied()
                    .unwrap_or(DEFAULT_USER)
                    .to_string()
            }),
            identity_files,
            use_agent: !s.no_agent,
            proxy_command: s.proxy_command.filter(|c| !c.is_empty()),
            host_keys: Lookup { primary, also },
            known_hosts: user_files[0].clone(),
            known: self.known_hosts_in(&files),
            accept_new: matches!(
                s.strict,
                Some(StrictHostKeyChecking::AcceptNew | StrictHostKeyChecking::No)
            ),
        }
    }

    /// The name `ssh` is given for the unit on a leader, by the one rule ([`Cluster::reach`]):
    /// its written address (`[cluster.addresses]`, `leader_address`, `-a`), else `<name>.local`.
    /// `~/.ssh/config` is matched against it, as OpenSSH matches the host as typed.
    fn reached_by(&self, name: &str) -> String {
        let lower = name.to_ascii_lowercase();
        self.written
            .get(&lower)
            .cloned()
            .unwrap_or_else(|| format!("{lower}.local"))
    }

    /// `~/.ssh/config` blocks that select the bare name but not the name pio connects by are not
    /// applied (OpenSSH would not apply them to `ssh pioreactor@pio02.local` either); each is
    /// named in a warning, so that none is passed over in silence.
    fn warn_of_bare_name_blocks(&self, bare: &str, reached_by: &str, applied: &HostSettings) {
        if crate::cluster::name::same(bare, reached_by) {
            return;
        }
        for block in self.ssh_config.settings_for(bare).blocks {
            if !applied.blocks.contains(&block) {
                self.warn_once(format!(
                    "~/.ssh/config: {block} selects {bare} but not {reached_by}, the name pio \
                     (like ssh on a leader) connects to it by, so it is not applied; name \
                     {reached_by} in that line to apply it"
                ));
            }
        }
    }

    /// Every known_hosts spelling under which ssh or pio may have stored this unit's key: its
    /// name, `<name>.local` and `extra_hosts` (such as its address), at port 22 and at the port
    /// `~/.ssh/config` gives it.
    pub fn known_host_patterns(&self, name: &str, extra_hosts: &[&str]) -> Vec<String> {
        let lower = name.to_ascii_lowercase();
        let local = format!("{lower}.local");
        let target = self.ssh_target(name, &lower);
        let mut patterns = Vec::new();
        let mut add = |pattern: String| {
            if !patterns.contains(&pattern) {
                patterns.push(pattern);
            }
        };
        for host in [lower.as_str(), local.as_str()].iter().chain(extra_hosts) {
            for p in [22, target.port] {
                add(known_hosts::host_pattern(host, p));
            }
        }
        // And its HostKeyAlias, if ~/.ssh/config gives it one.
        if let Some(alias) = self
            .ssh_config
            .settings_for(&self.reached_by(name))
            .host_key_alias
        {
            add(alias);
        }
        patterns
    }

    /// Opens an SSH connection that refuses unknown host keys, within the unit timeout.
    pub fn ssh(&self, name: &str, address: &str) -> std::result::Result<Connection, SshError> {
        self.ssh_until(name, address, Instant::now() + self.timeout)
    }

    /// The same, by `deadline`.
    pub fn ssh_until(
        &self,
        name: &str,
        address: &str,
        deadline: Instant,
    ) -> std::result::Result<Connection, SshError> {
        let target = self.ssh_target(name, address);
        match Connection::open(&target, UnknownHostKey::Refuse, None, deadline) {
            // Images before 22.4 log in as `pi`: where ~/.ssh/config names no user, a unit that
            // refuses `pioreactor` is tried as `pi` (and known so for the rest of the run).
            Err(refused @ SshError::AuthFailed { .. }) if self.default_user(name, &target) => {
                let mut old = target.clone();
                old.user = OLD_IMAGE_USER.to_string();
                let conn = Connection::open(&old, UnknownHostKey::Refuse, None, deadline);
                // Known for the rest of the run either way: a unit that refuses both is not
                // asked twice more per connection (fail2ban counts every refusal).
                let user = if conn.is_ok() {
                    OLD_IMAGE_USER
                } else {
                    DEFAULT_USER
                };
                self.lock_users().insert(name.to_ascii_lowercase(), user);
                // The first refusal is the one to report: `pioreactor` is the usual login.
                conn.map_err(|_| refused)
            }
            other => other,
        }
    }

    /// Whether `target`'s login is pio's default (`pioreactor`), not one ~/.ssh/config chose,
    /// and `pi` was not tried yet in this run.
    fn default_user(&self, name: &str, target: &Target) -> bool {
        target.user == DEFAULT_USER
            && !self.lock_users().contains_key(&name.to_ascii_lowercase())
            && self
                .ssh_config
                .settings_for(&self.reached_by(name))
                .user
                .is_none()
    }

    fn lock_users(&self) -> std::sync::MutexGuard<'_, HashMap<String, &'static str>> {
        self.users.lock().unwrap_or_else(|e| e.into_inner())
    }
}

/// The login on every Pioreactor image since 22.4.
const DEFAULT_USER: &str = "pioreactor";

/// The login on images before 22.4 (`crate::release::Needs::ssh_user`).
const OLD_IMAGE_USER: &str = "pi";
