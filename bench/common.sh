# Shared by the benchmark scripts (sourced, not run): tools, the pio to time, a scratch folder,
# and config.ini inventories of a given size.

# bench_setup TOOL...: each tool must be on PATH (GNU time: `time`, checked at /usr/bin/time);
# as root, apt-get installs the missing ones. Then builds pio in release mode unless $PIO names
# a binary, and sets $pio, $tmp (removed on exit) and an environment that touches no network.
bench_setup() {
  local missing=() tool
  for tool in "$@"; do
    case $tool in
      time) [ -x /usr/bin/time ] || missing+=(time) ;;
      *) command -v "$tool" >/dev/null || missing+=("$tool") ;;
    esac
  done
  if ((${#missing[@]})); then
    if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null; then
      apt-get install -y "${missing[@]}" >/dev/null 2>&1 ||
        { apt-get update >/dev/null && apt-get install -y "${missing[@]}" >/dev/null; }
    else
      echo "missing ${missing[*]}: apt-get install ${missing[*]}" >&2
      exit 2
    fi
  fi
  if [ -z "${PIO:-}" ]; then
    cargo build --release --quiet
    PIO=$PWD/target/release/pio
  fi
  pio=$PIO
  tmp=$(mktemp -d)
  trap 'rm -rf "$tmp"' EXIT
  export PIO_HOSTNAME=pio00000
  # Never let a benchmark look units up by mDNS on this machine's real network.
  export PIO_MDNS=0
}

# bench_inventory SIZE: $cfg, a config.ini of a leader (pio00000) and SIZE workers, every other
# one with a static address; $target, the worker in the middle, which starts inactive so that
# each run that flips it really writes; $reset, the command that restores $cfg.
bench_inventory() {
  cfg=$tmp/config.ini
  python3 - "$tmp/base.ini" "$1" <<'PY'
import sys
path, n = sys.argv[1], int(sys.argv[2])
with open(path, "w") as f:
    f.write("# benchmark\n[cluster.topology]\nleader_hostname=pio00000\nleader_address=pio00000.local\n\n[cluster.inventory]\n")
    f.writelines(f"pio{i:05d}={0 if i == n // 2 else 1}\n" for i in range(n))
    f.write("\n[cluster.addresses]\n")
    f.writelines(f"pio{i:05d}=10.{i >> 16 & 255}.{i >> 8 & 255}.{i & 255}\n" for i in range(0, n, 2))
PY
  cp "$tmp/base.ini" "$cfg"
  target=$(printf 'pio%05d' $(($1 / 2)))
  reset="cp $tmp/base.ini $cfg"
}

# rss COMMAND: its peak RSS in kB (GNU time), the largest of five runs, each from $reset.
rss() {
  local max=0 kb
  for _ in 1 2 3 4 5; do
    $reset
    kb=$(/usr/bin/time -f %M $1 2>&1 >/dev/null | tail -1)
    ((kb > max)) && max=$kb
  done
  echo "$max"
}
