#!/usr/bin/env python3
"""Benchmark (a script, not a test): `pio clock --all` and `pio shutdown --all --yes` on 128
loopback units against `pios`-style runs, one request per unit, one unit after another (issue
19).

Usage (as root, like the tests):  python3 bench/power_clock.py [--runs N]
                                  PIO=target/debug/pio python3 bench/power_clock.py  (another build)

The pretend units are bench/cluster.py's: 128 addresses 127.0.2.1-128, eight real OpenSSH sshds
whose ForceCommand is tests/support/shim.sh (it records; `date -u +%s.%N` reads this machine's
clock, `sudo shutdown -h now` is recorded only: nothing is shut down, no clock is set), and one
asyncio HTTP server answering the worker web API on every address (the clock endpoint with this
machine's time, the shutdown endpoint with 202 accepted). Nothing leaves 127.0.0.0/8.

Rows, each the median of --runs runs:
- pio clock --all --via http        pio's fan-out (64 at a time), GET /unit_api/system/utc_clock
- pio clock --all --via ssh         the same over SSH (`date`), for comparison
- pios-style clock, sequential      one Python process, one GET per unit, one after another
- pio shutdown --all --yes --via http   pio's fan-out (16 at a time), POST /unit_api/system/shutdown
- pios-style shutdown, sequential   one Python process, one POST per unit, one after another

The pios-style runs are generous to `pios`: one interpreter start for all units (pios starts
one too), urllib without `requests`, no Python CLI import time.
"""
import argparse
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import cluster  # noqa: E402  (bench/cluster.py: the pretend units)

ROOT = cluster.ROOT
PIO = os.environ.get("PIO", cluster.PIO)

SEQUENTIAL = """
import sys, urllib.request
method, path, port = sys.argv[1], sys.argv[2], sys.argv[3]
for addr in sys.argv[4:]:
    req = urllib.request.Request(f"http://{addr}:{port}{path}", method=method, data=b"" if method == "POST" else None)
    with urllib.request.urlopen(req, timeout=60) as r:
        r.read()
"""


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--runs", type=int, default=5)
    args = parser.parse_args()
    if os.geteuid() != 0:
        sys.exit("run as root (the pretend units' sshds need a mount namespace)")
    if "PIO" not in os.environ:
        cluster.sh("cargo", "build", "--release", "--quiet", cwd=ROOT)
    tmp = tempfile.mkdtemp(prefix="pio-bench-")
    os.chmod(tmp, 0o755)
    state, home = f"{tmp}/lab", f"{tmp}/home"
    os.makedirs(f"{home}/.ssh")
    ssh_port, web_port = cluster.free_port(), cluster.free_port()
    procs = cluster.start_sshds(state, ssh_port)
    asked = cluster.start_web(web_port)
    try:
        cluster.sh("ssh-keygen", "-q", "-t", "ed25519", "-N", "", "-f", f"{home}/.ssh/id_ed25519")
        shutil.copy(f"{home}/.ssh/id_ed25519.pub", f"{state}/authorized_keys")
        os.chmod(f"{state}/authorized_keys", 0o644)
        host_key = open(f"{state}/host_key.pub").read().split()[:2]
        with open(f"{home}/.ssh/known_hosts", "w") as f:
            for addr in cluster.UNITS:
                f.write(f"[{addr}]:{ssh_port} {host_key[0]} {host_key[1]}\n")
        with open(f"{home}/.ssh/config", "w") as f:
            f.write(f"Host *\n    Port {ssh_port}\n    User pioreactor\n")
        with open(f"{home}/config.ini", "w") as f:
            f.write("[cluster.topology]\nleader_hostname=bench-leader\n\n[cluster.inventory]\n")
            f.writelines(f"{n}=1\n" for n in cluster.NAMES)
            f.write("\n[cluster.addresses]\n")
            f.writelines(f"{n}={a}\n" for n, a in zip(cluster.NAMES, cluster.UNITS))
            f.write(f"\n[ui]\nport={web_port}\n")
        env = {"PATH": os.environ["PATH"], "HOME": home, "PIO_MDNS": "0",
               "GLOBAL_CONFIG": f"{home}/config.ini", "PIO_HOSTNAME": "bench-leader",
               "PIO_INVENTORY": "config"}
        sequential = lambda method, path: [sys.executable, "-c", SEQUENTIAL, method, path,
                                           str(web_port), *cluster.UNITS]
        rows = {
            "pio clock --all --via http": [PIO, "-q", "clock", "--all", "--via", "http"],
            "pio clock --all --via ssh": [PIO, "-q", "clock", "--all", "--via", "ssh"],
            "pios-style clock, sequential": sequential("GET", "/unit_api/system/utc_clock"),
            "pio shutdown --all --yes --via http": [PIO, "-q", "shutdown", "--all", "--yes", "--via", "http"],
            "pios-style shutdown, sequential": sequential("POST", "/unit_api/system/shutdown"),
        }
        print(f"128 units, median of {args.runs} runs ({PIO})")
        print(f"{'command':<38} {'median ms':>10}")
        results = {}
        for name, argv in rows.items():
            asked.clear()
            results[name] = cluster.timed(argv, env, args.runs)
            print(f"{name:<38} {results[name] * 1000:>10.1f}   ({len(asked)} HTTP requests in all runs)")
        for what, pio, pios in [("clock", "pio clock --all --via http", "pios-style clock, sequential"),
                                ("shutdown", "pio shutdown --all --yes --via http", "pios-style shutdown, sequential")]:
            print(f"{what}: pio {results[pios] / results[pio]:.1f}x faster than one request per unit in turn")
        return 0
    finally:
        for p in procs:
            p.kill()
            p.wait()
        shutil.rmtree(tmp, ignore_errors=True)


if __name__ == "__main__":
    sys.exit(main())
