#!/bin/sh
# ForceCommand for the test sshd: records every SSH request and fakes only an allow-list of
# answers. Nothing here reboots, renames or halts anything.
# $1: the state folder; each pretend unit is a folder named after its address under units/.
state=$1
addr=$(echo "$SSH_CONNECTION" | cut -d' ' -f3)
unit=$state/units/$addr
# One line per request: a command of several lines (pio's backup script) is logged with its line
# breaks as \n.
logged=$SSH_ORIGINAL_COMMAND
case "$logged" in *'
'*) logged=$(printf '%s' "$logged" | sed ':a;N;$!ba;s/\n/\\n/g') ;; esac
printf '%s\t%s\t%s\n' "$(date +%s%N)" "$addr" "$logged" >> "$state/ssh.log"
# A unit that is rebooting: the connection drops before any answer.
test -e "$unit/down" && exit 255
# A unit that logs in and then never answers (no command output, no SFTP).
test -e "$unit/hang" && exec sleep 600
# A unit that hangs on one command only (the one $unit/hang-on names).
test -e "$unit/hang-on" && [ "$SSH_ORIGINAL_COMMAND" = "$(cat "$unit/hang-on")" ] && exec sleep 600
# The Python CLI's update of the unit's software, faked for every unit (a real release's would
# download and install): the unit then answers `pio version` with the release asked for, else
# the one $unit/update-to names; $unit/update-fails makes it fail.
case "$SSH_ORIGINAL_COMMAND" in
  'pio update app'|'pio update app --version '*)
    test -e "$unit/update-fails" && { echo "pip: the test refuses this update" >&2; exit 1; }
    new=${SSH_ORIGINAL_COMMAND#pio update app --version }
    [ "$new" = "$SSH_ORIGINAL_COMMAND" ] && new=$(cat "$unit/update-to" 2>/dev/null || echo 26.11.1)
    echo "$new" > "$unit/version"
    exit 0 ;;
esac
# A unit that runs a real Pioreactor release: its own pio answers (tests/support/releases).
if [ -e "$unit/release" ]; then
  case "$SSH_ORIGINAL_COMMAND" in
    'pio '*|'hostname && {'*|"grep -qxF 'server "*|'if ! grep -qsE '*)
      exec bash "$state/releases/unit.sh" "$unit" "$(cat "$unit/release")" "$SSH_ORIGINAL_COMMAND" ;;
  esac
fi
case "$SSH_ORIGINAL_COMMAND" in
  hostname) cat "$unit/hostname" ;;
  # pio's backup and restore scripts: run for real, the unit's folder being their home (they
  # touch only ~/.pioreactor, a folder beside it and a temporary file).
  "python3 -c '# pio backup"*|"python3 -c '# pio restore"*)
    test -e "$unit/fail" && { echo "refused by the test" >&2; exit 1; }
    cd "$unit" && HOME="$unit" exec sh -c "$SSH_ORIGINAL_COMMAND" ;;
  'hostname && { timeout 5 pio version 2>/dev/null || true; }')
    cat "$unit/hostname"
    test -e "$unit/no-version" || cat "$unit/version" 2>/dev/null || echo 24.3.10
    true ;;
  'cat /proc/sys/kernel/random/boot_id') cat "$unit/boot_id" 2>/dev/null || echo "boot-1" ;;
  'date -u +%s.%N')
    # The unit's clock: this machine's, moved by the seconds in $unit/skew.
    # One reading: seconds and nanoseconds from two would be a second behind whenever a
    # second boundary fell between them (more often the more loaded the machine).
    skew=$(cat "$unit/skew" 2>/dev/null || echo 0)
    now=$(date -u +%s.%N)
    echo "$(( ${now%.*} + skew )).${now#*.}" ;;
  # The unit's release: its version file, else 24.3.10; none where the test says no Python
  # stack answers (no-version).
  'pio version')
    test -e "$unit/no-version" && exit 127
    cat "$unit/version" 2>/dev/null || echo 24.3.10 ;;
  'test -d ~/.pioreactor') test -d "$unit/.pioreactor" ;;
  internal-sftp) exec /usr/lib/openssh/sftp-server -d "$unit" ;;
  'sudo reboot'|'sudo shutdown -h now'|'pio kill --all-jobs'|'pio kill --all'|true)
    test -e "$unit/fail" && { echo "refused by the test" >&2; exit 1; }
    exit 0 ;;
  'pio repair')
    test -e "$unit/fail" && { echo "refused by the test" >&2; exit 1; }
    echo "Repair complete." ;;
  'pio identify'|'pio identify --duration '*)
    # Where only the Python stack is installed, its click CLI has no such command.
    test -e "$unit/no-pio" && { echo "Error: No such command 'identify'." >&2; exit 2; }
    exit 0 ;;
  'pio blink') exit 0 ;;
  'sudo date -u --set=@'*)
    # Recorded only; the unit's pretend clock ($unit/skew) is moved to the time it was given.
    to=${SSH_ORIGINAL_COMMAND#sudo date -u --set=@}
    echo $(( ${to%%.*} - $(date -u +%s) )) > "$unit/skew" ;;
  'if ! grep -qsE '*)
    # clock --sync by chrony: where the unit's own chrony files name a server, its pretend
    # clock comes back to this machine's (nothing is stopped, started or synced for real).
    if ! cat "$unit/etc/chrony/chrony.conf" "$unit"/etc/chrony/conf.d/*.conf 2>/dev/null | grep -q '^server '; then
      echo 'no chrony source at the leader'; exit 0
    fi
    test -e "$unit/chrony-fails" && { echo "chronyd: no reply from the sources" >&2; exit 1; }
    echo 0 > "$unit/skew" ;;
  "grep -qxF 'server "*" iburst prefer' /etc/chrony/chrony.conf || echo "*)
    # The leader as chrony source, idempotently: kept in the unit's own chrony.conf.
    line=${SSH_ORIGINAL_COMMAND#grep -qxF \'}
    line=${line%%\' /etc/chrony/chrony.conf*}
    mkdir -p "$unit/etc/chrony" && touch "$unit/etc/chrony/chrony.conf"
    grep -qxF "$line" "$unit/etc/chrony/chrony.conf" || echo "$line" >> "$unit/etc/chrony/chrony.conf" ;;
  'pio cluster join --leader-time '*)
    # Images before the database era's join step: click has no such command.
    test -e "$unit/no-join" && { echo "Error: No such command 'cluster'." >&2; exit 2; }
    exit 0 ;;
  'sudo hostnamectl set-hostname '*)
    # Pretend: only the unit's answer to `hostname` changes.
    echo "${SSH_ORIGINAL_COMMAND#sudo hostnamectl set-hostname }" > "$unit/hostname" ;;
  "sudo sed -i -E 's/(^|[[:space:]])"*" /etc/hosts") exit 0 ;;
  *) exit 127 ;;
esac
