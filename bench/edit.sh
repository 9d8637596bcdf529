#!/usr/bin/env bash
# Benchmark (a script, not a test): one config.ini edit, `pio -q --config X workers set-active
# <w> 1 --offline`, against `sed -i` of the same line, and pio's start-up (`pio --version`,
# `pio workers list` on the 10-worker file) against `/bin/true`, on inventories of 10, 1000 and
# 10000 workers, in one run on one machine. Prints a table of medians and peak RSS.
#
#   bash bench/edit.sh [RUNS]          # PIO=path/to/pio to time a given binary (no build)
#
# Needs hyperfine and GNU time (installed with apt-get when missing and run as root); builds pio
# in release mode. Every set-active and sed run starts from the same file (hyperfine --prepare,
# untimed) with the worker inactive, so that each run really writes (pio's lock, atomic save and
# both fsyncs included; sed -i neither locks nor fsyncs) and none touches the network.
# Targets (issue 15.7): set-active at 10000 workers within 2x `sed -i`; its peak RSS under 5 MB at
# every size; start-up within 2x `/bin/true`.
set -euo pipefail
cd "$(dirname "$0")/.."
runs=${1:-60}
. bench/common.sh
bench_setup hyperfine time python3

printf '%7s  %-26s %10s %9s %9s\n' workers command 'median ms' 'vs base' 'peak RSS'
status=0
for size in 10 1000 10000; do
  bench_inventory "$size"
  set_active="$pio -q --config $cfg workers set-active $target 1 --offline"
  sed_i="sed -i s/^$target=0\$/$target=1/ $cfg"
  list="$pio --config $cfg workers list"
  version="$pio --version"
  true_=/bin/true
  # In five rounds, so that a machine whose speed drifts (shared cores) slows every command
  # alike: each command's median is taken over all its runs. Hyperfine's warnings about outliers
  # (a busy machine) are left out; its errors are shown.
  for round in 1 2 3 4 5; do
    hyperfine -N --style none --warmup 3 --runs $(((runs + 4) / 5)) \
      --export-json "$tmp/times-$round.json" \
      --prepare "$reset" "$set_active" "$sed_i" "$list" "$version" "$true_" >/dev/null 2>"$tmp/err" ||
      { cat "$tmp/err" >&2; exit 1; }
  done
  # The edit must really have happened (and sed's too, or it timed nothing).
  $reset; $set_active; grep -qx "$target=1" "$cfg" || { echo "set-active did not write" >&2; exit 1; }
  $reset; $sed_i; grep -qx "$target=1" "$cfg" || { echo "sed did not write" >&2; exit 1; }
  python3 - "$tmp" "$size" "$(rss "$set_active")" "$(rss "$sed_i")" "$(rss "$list")" \
    "$(rss "$version")" "$(rss "$true_")" <<'PY' || status=1
import json, statistics, sys
rounds = [json.load(open(f"{sys.argv[1]}/times-{r}.json"))["results"] for r in range(1, 6)]
size = int(sys.argv[2])
rss = [int(x) for x in sys.argv[3:8]]
med = [statistics.median(t for r in rounds for t in r[i]["times"]) * 1000 for i in range(5)]
names = ["pio workers set-active", "sed -i", "pio workers list", "pio --version", "/bin/true"]
# Each pio row against its yardstick: the edit against sed -i, start-up against /bin/true.
base = [med[1], None, med[4], med[4], None]
failed = []
for name, m, kb, b in zip(names, med, rss, base):
    ratio = f"{m / b:8.2f}x" if b else f"{'':9}"
    print(f"{size:>7}  {name:<26} {m:>10.2f} {ratio} {kb / 1024:>7.2f}MB")
if size == 10000 and med[0] > 2 * med[1]:
    failed.append("set-active within 2x sed -i")
if rss[0] >= 5 * 1024:
    failed.append("set-active under 5 MB")
if size == 10 and (med[2] > 2 * med[4] or med[3] > 2 * med[4]):
    failed.append("start-up within 2x /bin/true")
for f in failed:
    print(f"         ^ missed: {f}")
sys.exit(1 if failed else 0)
PY
done
if [ $status -eq 0 ]; then echo "all targets met"; else echo "some targets missed"; fi
exit $status
