#!/usr/bin/env bash
# Benchmark (a script, not a test): `pio workers list` and `pio workers set-active` against
# `crudini --set` on inventories of 10, 1000 and 10000 workers, in one run on one machine.
#
#   bash bench/inventory.sh [RUNS]
#
# Needs hyperfine, crudini and GNU time (apt-get install hyperfine crudini time); builds pio in
# release mode. Every set-active and crudini run starts from the same file (hyperfine --prepare,
# untimed) with the worker inactive, so that each run really writes (pio's fsyncs included) and
# none touches the network.
# Targets (issue 2): pio at least 15x faster than crudini at every size; peak RSS under 5 MB.
set -euo pipefail
cd "$(dirname "$0")/.."
runs=${1:-40}
for tool in hyperfine crudini /usr/bin/time python3; do
  command -v "$tool" >/dev/null || { echo "missing $tool: apt-get install hyperfine crudini time" >&2; exit 2; }
done
cargo build --release --quiet
pio=$PWD/target/release/pio
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
export PIO_HOSTNAME=pio00000
# Never let a benchmark look units up by mDNS on this machine's real network.
export PIO_MDNS=0

printf '%7s  %-24s %10s %11s %9s\n' workers command 'median ms' 'vs crudini' 'peak RSS'
status=0
for size in 10 1000 10000; do
  cfg=$tmp/config.ini
  python3 - "$tmp/base.ini" "$size" <<'PY'
import sys
path, n = sys.argv[1], int(sys.argv[2])
with open(path, "w") as f:
    f.write("# benchmark\n[cluster.topology]\nleader_hostname=pio00000\nleader_address=pio00000.local\n\n[cluster.inventory]\n")
    # The worker the benchmark flips starts inactive, so that each run really writes.
    f.writelines(f"pio{i:05d}={0 if i == n // 2 else 1}\n" for i in range(n))
    f.write("\n[cluster.addresses]\n")
    f.writelines(f"pio{i:05d}=10.{i >> 16 & 255}.{i >> 8 & 255}.{i & 255}\n" for i in range(0, n, 2))
PY
  cp "$tmp/base.ini" "$cfg"
  target=$(printf 'pio%05d' $((size / 2)))
  reset="cp $tmp/base.ini $cfg"
  list="$pio --config $cfg workers list"
  # --offline: the config.ini write alone, as crudini does (no copy to the worker, no network).
  set_active="$pio -q --config $cfg workers set-active $target 1 --offline"
  crudini_set="crudini --set $cfg cluster.inventory $target 1"
  hyperfine -N --style none --warmup 3 --runs "$runs" --export-json "$tmp/times.json" \
    --prepare "$reset" "$list" \
    --prepare "$reset" "$set_active" \
    --prepare "$reset" "$crudini_set" >/dev/null
  # Peak RSS: the largest of a few runs under GNU time.
  rss() { local max=0 kb; for _ in 1 2 3 4 5; do $reset; kb=$(/usr/bin/time -f %M $1 2>&1 >/dev/null | tail -1); ((kb > max)) && max=$kb; done; echo "$max"; }
  rss_list=$(rss "$list"); rss_set=$(rss "$set_active"); rss_crudini=$(rss "$crudini_set")
  python3 - "$tmp/times.json" "$size" "$rss_list" "$rss_set" "$rss_crudini" <<'PY' || status=1
import json, sys
results = json.load(open(sys.argv[1]))["results"]
size = sys.argv[2]
rss = [int(x) for x in sys.argv[3:6]]
names = ["pio workers list", "pio workers set-active", "crudini --set"]
medians = [r["median"] for r in results]
base = medians[2]
failed = False
for name, med, kb in zip(names, medians, rss):
    ratio = base / med
    print(f"{size:>7}  {name:<24} {med * 1000:>10.2f} {ratio:>10.1f}x {kb / 1024:>7.2f}MB")
    if name.startswith("pio") and (ratio < 15 or kb >= 5 * 1024):
        print(f"         ^ missed a target (>= 15x crudini, < 5 MB)")
        failed = True
sys.exit(1 if failed else 0)
PY
done
if [ $status -eq 0 ]; then echo "all targets met: >= 15x faster than crudini, peak RSS < 5 MB"; else echo "some targets missed"; fi
exit $status
