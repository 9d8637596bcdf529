#!/usr/bin/env bash
# Installs the Pioreactor releases the tests run as units (tests/releases.rs, "real" tests): one
# venv each under $PIO_RELEASES_ROOT (default /opt/pio-ci-pioreactor), `pioreactor[worker]` from
# PyPI as a real worker has it. Idempotent; run as root by .ci/run.
#
# 26.x requires Python 3.13, which Debian 12 lacks: pyenv's (/root/.pyenv/versions/3.13.*) is
# copied to /opt/pio-ci-python3.13, which every user can read (root's home is not readable by
# the unprivileged test user; the venvs find libpython there through LD_LIBRARY_PATH).
set -euo pipefail
root=${PIO_RELEASES_ROOT:-/opt/pio-ci-pioreactor}
py313=/opt/pio-ci-python3.13
export PIP_DISABLE_PIP_VERSION_CHECK=1 PIP_NO_INPUT=1

if [ ! -x "$py313/bin/python3.13" ]; then
  src=$(ls -d /root/.pyenv/versions/3.13.* 2>/dev/null | sort -V | tail -1 || true)
  if [ -z "$src" ]; then
    echo "no Python 3.13 here (looked for /root/.pyenv/versions/3.13.*): 26.x cannot be installed" >&2
    exit 1
  fi
  rm -rf "$py313.tmp" && cp -a "$src" "$py313.tmp" && mv "$py313.tmp" "$py313"
  chmod -R a+rX "$py313"
fi
export LD_LIBRARY_PATH=$py313/lib

# One release: its Python, then extra packages (24.3 imports lgpio and rpi_hardware_pwm at start,
# which a Pi gets from apt).
install_release() {
  local version=$1 python=$2; shift 2
  local dest=$root/$version
  local want="$version $($python -c 'import sys; print(sys.version.split()[0])') $*"
  if [ -x "$dest/bin/pio" ] && [ "$(cat "$dest/.installed" 2>/dev/null)" = "$want" ]; then
    return 0
  fi
  echo "installing Pioreactor $version ($python)" >&2
  rm -rf "$dest"
  "$python" -m venv "$dest"
  "$dest/bin/pip" install -q "pioreactor[worker]==$version" "$@"
  echo "$want" > "$dest/.installed"
  chmod -R a+rX "$dest"
}

mkdir -p "$root"
install_release 24.3.10 /usr/bin/python3.11 lgpio==0.2.2.0 rpi-hardware-pwm==0.2.1
install_release 24.7.18 /usr/bin/python3.11
install_release 26.7.2 "$py313/bin/python3.13"
install_release 26.11.1 "$py313/bin/python3.13"
