#!/bin/bash
# Runs one command as a unit that runs a real Pioreactor release: its own `pio` (from the venv),
# in new mount and UTS namespaces where
#   - the unit's folder is /home/pioreactor (what SFTP wrote is what the release reads),
#   - /run/pioreactor, /var/log and /etc/chrony are the unit's own (under its folder),
#   - /usr/local/bin has firstboot.sh.done (24.x-25.x refuse to start without it),
#   - the hostname is the unit's, and every other mount is read-only,
#   - `sudo` is a stand-in that records and only ever edits files under /etc/chrony, moved into
#     the unit's folder (date, reboot, systemctl, chronyc, hostnamectl are recorded only).
# Needs the capabilities of its user namespace (the test lab's sshd has them: see lab.rs).
#
# usage: unit.sh UNIT_DIR VENV COMMAND
set -euo pipefail
unit=$1 venv=$2 command=$3
name=$(head -1 "$unit/hostname")
mkdir -p "$unit/run/cache" "$unit/.pioreactor/storage" "$unit/.pioreactor/plugins" "$unit/varlog" "$unit/tmp" "$unit/etc/chrony/conf.d" "$unit/usrlocal" \
  "$unit/stubs"
touch "$unit/usrlocal/firstboot.sh.done" "$unit/calls.log"
cp /etc/passwd "$unit/.passwd" && cp /etc/group "$unit/.group"
here=$(dirname "$(readlink -f "$0")")
cp "$here/sudo" "$unit/stubs/sudo"
for recorded in reboot shutdown poweroff systemctl chronyc hostnamectl timedatectl; do
  ln -sf sudo "$unit/stubs/$recorded"
done
chmod 755 "$unit/stubs/sudo"

exec unshare --mount --uts --propagation private bash -c '
set -euo pipefail
unit=$1 venv=$2 name=$3 command=$4
before=$(findmnt -rno TARGET | sort -u)
mount -t tmpfs -o mode=755,size=1m tmpfs /home
mkdir /home/pioreactor
mount --bind "$unit" /home/pioreactor
mount -t tmpfs -o mode=755,size=1m tmpfs /run
mkdir /run/pioreactor
mount --bind "$unit/run" /run/pioreactor
mount --bind "$unit/varlog" /var/log
mount -t overlay overlay -o "lowerdir=$unit/usrlocal:/usr/local/bin" /usr/local/bin
mount -t overlay overlay -o "lowerdir=$unit/etc:/etc" /etc
mount --bind "$unit/.passwd" /etc/passwd
mount --bind "$unit/.group" /etc/group
# Private, empty scratch folders: those of the machine are not for the release.
mount -t tmpfs -o mode=1777,size=16m tmpfs /tmp
mount -t tmpfs -o mode=1777,size=1m tmpfs /var/tmp
if [ -d /dev/shm ]; then mount -t tmpfs -o mode=1777,size=1m tmpfs /dev/shm; fi
# Every other mount read-only, keeping the flags a user namespace may not drop.
for m in $before; do
  m=$(printf "%b" "$m")  # findmnt -r writes blanks as \x20
  case "$m" in /proc|/proc/*|/sys|/sys/*|/dev|/dev/*) continue ;; esac
  # Replaced above, with whatever was mounted below them.
  case "$m" in /home|/home/*|/run|/run/*|/var/log|/var/log/*|/usr/local/bin|/etc|/etc/*|/tmp|/tmp/*|/var/tmp|/var/tmp/*) continue ;; esac
  opts=$(findmnt -rno VFS-OPTIONS -M "$m" | sed "s/^rw/ro/")
  mount -o "remount,bind,$opts" "$m" 2>/dev/null || mount -o remount,bind,ro "$m" 2>/dev/null || true
done
# Never run a release where the machine itself could be written: every mount checked.
for m in $before; do
  m=$(printf "%b" "$m")
  case "$m" in /proc|/proc/*|/sys|/sys/*|/dev|/dev/*) continue ;; esac
  # Replaced above, with whatever was mounted below them.
  case "$m" in /home|/home/*|/run|/run/*|/var/log|/var/log/*|/usr/local/bin|/etc|/etc/*|/tmp|/tmp/*|/var/tmp|/var/tmp/*) continue ;; esac
  case ",$(findmnt -rno VFS-OPTIONS -M "$m")," in
    *,ro,*) ;;
    *) echo "unit.sh: $m stays writable here; refusing to run the release" >&2; exit 70 ;;
  esac
done
hostname "$name"
cd /home/pioreactor
exec env -i PATH="/home/pioreactor/stubs:$venv/bin:/usr/local/bin:/usr/bin:/bin" \
  HOME=/home/pioreactor USER=pioreactor LOGNAME=pioreactor LANG=C.UTF-8 HOSTNAME="$name" \
  DOT_PIOREACTOR=/home/pioreactor/.pioreactor RUN_PIOREACTOR=/run/pioreactor \
  TMPDIR=/home/pioreactor/tmp PYTHONDONTWRITEBYTECODE=1 \
  LD_LIBRARY_PATH=/opt/pio-ci-python3.13/lib PIO_UNIT_DIR=/home/pioreactor \
  PIO_EXECUTABLE="$venv/bin/pio" PIOS_EXECUTABLE="$venv/bin/pios" \
  /bin/sh -c "$command"
' unit.sh "$unit" "$venv" "$name" "$command"
