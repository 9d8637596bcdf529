#!/usr/bin/env bash
# Benchmark (a script, not a test): `pio workers list` and `pio workers set-active` against
# `crudini --set` on inventories of 10, 1000 and 10000 workers, in one run on one machine.
#
#   bash bench/inventory.sh [RUNS]          # PIO=path/to/pio to time a given binary (no build)
#
# Needs hyperfine, crudini and GNU time (installed with apt-get when missing and run as root);
# builds pio in release mode. Every set-active and crudini run starts from the same file (hyperfine --prepare,
# untimed) with the worker inactive, so that each run really writes (pio's fsyncs included) and
# none touches the network.
# Targets (issue 2): pio at least 15x faster than crudini at every size; peak RSS under 5 MB.
set -euo pipefail
cd "$(dirname "$0")/.."
runs=${1:-40}
. bench/common.sh
bench_setup hyperfine crudini time python3

printf '%7s  %-24s %10s %11s %9s\n' workers command 'median ms' 'vs crudini' 'peak RSS'
status=0
for size in 10 1000 10000; do
  bench_inventory "$size"
  list="$pio --config $cfg workers list"
  # --offline: the config.ini write alone, as crudini does (no copy to the worker, no network).
  set_active="$pio -q --config $cfg workers set-active $target 1 --offline"
  crudini_set="crudini --set $cfg cluster.inventory $target 1"
  hyperfine -N --style none --warmup 3 --runs "$runs" --export-json "$tmp/times.json" \
    --prepare "$reset" "$list" \
    --prepare "$reset" "$set_active" \
    --prepare "$reset" "$crudini_set" >/dev/null
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
