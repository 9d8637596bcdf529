#!/usr/bin/env python3
"""Benchmark (a script, not a test): pio's fan-out against ClusterShell's clush and a sequential
ssh loop, and a 128-unit reboot over HTTP, all on loopback in one run.

Usage (as root, like the tests):  python3 bench/cluster.py [--runs N]

Sets up 128 pretend units at 127.0.2.1-128: eight real OpenSSH sshds (16 addresses each) whose
ForceCommand is tests/support/shim.sh (it records, answers `hostname`, and never runs anything
for real), and one asyncio HTTP server answering the worker web API on every address. The sshds
see a `pioreactor` user through copies of the account files bind-mounted in their own mount
namespace, as in the tests.

Each tool does the same remote work per unit: connect, authenticate with a key, run `hostname`.
- pio:       pio workers status --via ssh UNITS   (pio's fan-out, default 16 at a time)
- clush:     clush -w 127.0.2.[1-N] hostname      (ClusterShell from PyPI, default fan-out 64)
- ssh loop:  for each unit: ssh unit hostname

- doctor:    pio doctor UNITS                      (every check of every unit, same fan-out)

Targets (issue 3): pio faster than clush by 4x at 128 units; `pio reboot --all --yes --via http`
on 128 units under 150 ms. (issue 9): `pio doctor` on 128 units within 2x of
`pio workers status --via ssh` on the same units.
"""
import argparse
import asyncio
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import threading
import time

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
PIO = os.path.join(ROOT, "target", "release", "pio")
SHIM = os.path.join(ROOT, "tests", "support", "shim.sh")
UNITS = [f"127.0.2.{i}" for i in range(1, 129)]
NAMES = [f"unit{i:03d}" for i in range(1, 129)]


def sh(*args, **kw):
    return subprocess.run(args, check=True, **kw)


def free_port():
    import socket
    while True:
        s = socket.socket()
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
        s.close()
        ok = True
        for addr in UNITS:
            t = socket.socket()
            try:
                t.bind((addr, port))
            except OSError:
                ok = False
            finally:
                t.close()
        if ok:
            return port


def start_sshds(state, port):
    os.makedirs(f"{state}/etc", exist_ok=True)
    os.makedirs(f"{state}/home", exist_ok=True)
    for addr, name in zip(UNITS, NAMES):
        os.makedirs(f"{state}/units/{addr}/.ssh", exist_ok=True)
        os.makedirs(f"{state}/units/{addr}/.pioreactor", exist_ok=True)
        with open(f"{state}/units/{addr}/hostname", "w") as f:
            f.write(name + "\n")
    open(f"{state}/ssh.log", "w").close()
    shutil.copy(SHIM, f"{state}/shim")
    for f in ("passwd", "group", "shadow"):
        shutil.copy(f"/etc/{f}", f"{state}/etc/{f}")
    with open(f"{state}/etc/passwd", "a") as f:
        f.write(f"pioreactor:x:4242:4242::{state}/home:/bin/sh\n")
    with open(f"{state}/etc/group", "a") as f:
        f.write("pioreactor:x:4242:\n")
    with open(f"{state}/etc/shadow", "a") as f:
        f.write("pioreactor:*:19000:0:99999:7:::\n")
    sh("chmod", "-R", "a+rwX", state)
    os.chmod(f"{state}/shim", 0o755)
    sh("ssh-keygen", "-q", "-t", "ed25519", "-N", "", "-f", f"{state}/host_key")
    os.makedirs("/run/sshd", exist_ok=True)
    procs = []
    for k in range(0, len(UNITS), 16):
        group = UNITS[k:k + 16]
        cfg = f"{state}/sshd_config_{k // 16}"
        with open(cfg, "w") as f:
            for addr in group:
                f.write(f"ListenAddress {addr}:{port}\n")
            f.write(f"HostKey {state}/host_key\nPidFile {state}/sshd{k // 16}.pid\nStrictModes no\n"
                    f"UsePAM no\nPermitRootLogin no\nPasswordAuthentication no\nMaxStartups 500\n"
                    f"Subsystem sftp internal-sftp\nForceCommand {state}/shim {state}\n"
                    f"AuthorizedKeysFile {state}/authorized_keys\n")
        script = (f"mount --bind {state}/etc/passwd /etc/passwd && mount --bind {state}/etc/shadow /etc/shadow && "
                  f"mount --bind {state}/etc/group /etc/group && exec /usr/sbin/sshd -D -e -f {cfg}")
        procs.append(subprocess.Popen(["unshare", "--mount", "sh", "-c", script],
                                      stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL))
    import socket
    deadline = time.time() + 10
    for addr in UNITS:
        while True:
            try:
                socket.create_connection((addr, port), timeout=1).close()
                break
            except OSError:
                if time.time() > deadline:
                    sys.exit(f"sshd did not start on {addr}:{port}")
                time.sleep(0.01)
    return procs


def start_web(port):
    """One event loop serving the web API on every unit address."""
    body = b'{"status": "accepted", "task_id": "t-1"}'
    response = (b"HTTP/1.1 202 Accepted\r\nContent-Type: application/json\r\nConnection: close\r\n"
                b"Content-Length: " + str(len(body)).encode() + b"\r\n\r\n" + body)
    version = b'{"version": "25.11.1"}'
    version_response = (b"HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nConnection: close\r\n"
                        b"Content-Length: " + str(len(version)).encode() + b"\r\n\r\n" + version)
    health = b'{"status": "ok"}'
    health_response = (b"HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nConnection: close\r\n"
                       b"Content-Length: " + str(len(health)).encode() + b"\r\n\r\n" + health)
    asked = []

    def clock_response():
        # This machine's time, as the Pioreactor web API writes it (GET /unit_api/system/utc_clock).
        now = time.time()
        stamp = time.strftime("%Y-%m-%dT%H:%M:%S", time.gmtime(now)) + f".{int(now % 1 * 1000):03d}Z"
        clock = f'{{"status": "success", "clock_time": "{stamp}"}}'.encode()
        return (b"HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nConnection: close\r\n"
                b"Content-Length: " + str(len(clock)).encode() + b"\r\n\r\n" + clock)

    async def handle(reader, writer):
        head = await reader.readuntil(b"\r\n\r\n")
        line = head.split(b"\r\n", 1)[0].decode()
        asked.append(line)
        if line.startswith("GET /unit_api/versions"):
            writer.write(version_response)
        elif line.startswith("GET /unit_api/system/utc_clock"):
            writer.write(clock_response())
        elif line.startswith("GET /unit_api/health"):
            writer.write(health_response)
        else:
            writer.write(response)
        await writer.drain()
        writer.close()

    loop = asyncio.new_event_loop()
    ready = threading.Event()

    def run():
        asyncio.set_event_loop(loop)
        for addr in UNITS:
            loop.run_until_complete(asyncio.start_server(handle, addr, port, backlog=256))
        ready.set()
        loop.run_forever()

    threading.Thread(target=run, daemon=True).start()
    ready.wait()
    return asked


def timed(argv, env=None, runs=3):
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        r = subprocess.run(argv, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
        times.append(time.perf_counter() - start)
        if r.returncode != 0:
            sys.exit(f"failed ({r.returncode}): {' '.join(argv[:6])}...: {r.stderr.decode()[-2000:]}")
    return statistics.median(times)


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--runs", type=int, default=3)
    args = parser.parse_args()
    if os.geteuid() != 0:
        sys.exit("run as root (the pretend units' sshds need a mount namespace)")
    sh("cargo", "build", "--release", "--quiet", cwd=ROOT)
    venv = os.path.join(ROOT, "target", "bench-venv")
    clush = os.path.join(venv, "bin", "clush")
    if not os.path.exists(clush):
        sh(sys.executable, "-m", "venv", venv)
        sh(os.path.join(venv, "bin", "pip"), "install", "--quiet", "ClusterShell")

    tmp = tempfile.mkdtemp(prefix="pio-bench-")
    os.chmod(tmp, 0o755)
    state, home = f"{tmp}/lab", f"{tmp}/home"
    os.makedirs(f"{home}/.ssh")
    ssh_port, web_port = free_port(), free_port()
    procs = start_sshds(state, ssh_port)
    asked = start_web(web_port)
    try:
        sh("ssh-keygen", "-q", "-t", "ed25519", "-N", "", "-f", f"{home}/.ssh/id_ed25519")
        shutil.copy(f"{home}/.ssh/id_ed25519.pub", f"{state}/authorized_keys")
        os.chmod(f"{state}/authorized_keys", 0o644)
        host_key = open(f"{state}/host_key.pub").read().split()[:2]
        with open(f"{home}/.ssh/known_hosts", "w") as f:
            for addr in UNITS:
                f.write(f"[{addr}]:{ssh_port} {host_key[0]} {host_key[1]}\n")
        with open(f"{home}/.ssh/config", "w") as f:
            f.write(f"Host *\n    Port {ssh_port}\n    User pioreactor\n    IdentityFile {home}/.ssh/id_ed25519\n"
                    f"    UserKnownHostsFile {home}/.ssh/known_hosts\n    StrictHostKeyChecking yes\n"
                    f"    BatchMode yes\n")
        with open(f"{home}/config.ini", "w") as f:
            f.write("[cluster.topology]\nleader_hostname=bench-leader\n\n[cluster.inventory]\n")
            f.writelines(f"{n}=1\n" for n in NAMES)
            f.write("\n[cluster.addresses]\n")
            f.writelines(f"{n}={a}\n" for n, a in zip(NAMES, UNITS))
            f.write(f"\n[ui]\nport={web_port}\n")
        env = {"PATH": os.environ["PATH"], "HOME": home, "PIO_MDNS": "0",
               "GLOBAL_CONFIG": f"{home}/config.ini", "PIO_HOSTNAME": "bench-leader",
               "PIO_INVENTORY": "config"}
        ssh_opts = ["-F", f"{home}/.ssh/config"]

        print(f"{'units':>5}  {'tool':<34} {'median s':>9}")
        results = {}
        for n in (32, 128):
            units = f"unit[001-{n:03d}]"
            rows = {
                "pio workers status --via ssh": [PIO, "workers", "status", "--via", "ssh", units],
                "pio doctor": [PIO, "doctor", units],
                "clush (fan-out 64)": [clush, "-o", " ".join(ssh_opts), "-w", f"127.0.2.[1-{n}]", "hostname"],
                "sequential ssh loop": ["sh", "-c", " ; ".join(
                    f"ssh {' '.join(ssh_opts)} {a} hostname" for a in UNITS[:n])],
            }
            for tool, argv in rows.items():
                t = timed(argv, env, args.runs)
                results[(n, tool)] = t
                print(f"{n:>5}  {tool:<34} {t:>9.3f}")
        ratio = results[(128, "clush (fan-out 64)")] / results[(128, "pio workers status --via ssh")]
        print(f"\npio vs clush at 128 units: {ratio:.1f}x faster (target: 4x)")
        doctor = results[(128, "pio doctor")] / results[(128, "pio workers status --via ssh")]
        print(f"pio doctor vs pio workers status --via ssh at 128 units: {doctor:.2f}x the time (target: < 2x)")

        asked.clear()
        reboot = [PIO, "reboot", "--all", "--yes", "--via", "http", "-q"]
        runs = [timed(reboot, env, 1) for _ in range(max(args.runs, 15))]
        reboots = sum(1 for a in asked if a.startswith("POST /unit_api/system/reboot"))
        med = statistics.median(runs)
        print(f"pio reboot --all --via http, 128 units: median {med * 1000:.1f} ms over {len(runs)} runs "
              f"({reboots} reboot requests answered; target < 150 ms)")
        ok = ratio >= 4 and med < 0.150 and doctor < 2
        print("all targets met" if ok else "some targets missed")
        return 0 if ok else 1
    finally:
        for p in procs:
            p.kill()
            p.wait()
        shutil.rmtree(tmp, ignore_errors=True)


if __name__ == "__main__":
    sys.exit(main())
