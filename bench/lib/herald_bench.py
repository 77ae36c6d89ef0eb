"""Parts shared by the daemon's and the control API's benchmark drivers
(bench/daemon/run.py, bench/control/run.py): a scenario's folder with the
loopback sink (bench_sink_server), the config for the bench_sink connector,
the journal seeder (bench_seed_journal), heraldd started with NOTIFY_SOCKET
and awaited until READY=1, /proc readings, percentiles, and the writer of one
section of docs/benchmarks.md.
"""
import os
import platform
import re
import shutil
import signal
import sqlite3
import socket
import subprocess
import tempfile
import time

TOP = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))


def now_ms():
    return int(time.time() * 1000)


def percentile(values, p):
    values = sorted(values)
    if not values:
        return float("nan")
    k = (len(values) - 1) * p / 100.0
    lo = int(k)
    hi = min(lo + 1, len(values) - 1)
    return values[lo] + (values[hi] - values[lo]) * (k - lo)


def proc_stat(pid):
    """(utime+stime in seconds, voluntary+involuntary context switches, RSS in MB)."""
    with open(f"/proc/{pid}/stat") as f:
        fields = f.read().rsplit(")", 1)[1].split()
    ticks = os.sysconf("SC_CLK_TCK")
    cpu = (int(fields[11]) + int(fields[12])) / ticks
    ctx = 0
    rss_kb = 0
    with open(f"/proc/{pid}/status") as f:
        for line in f:
            if line.startswith(("voluntary_ctxt_switches", "nonvoluntary_ctxt_switches")):
                ctx += int(line.split()[1])
            if line.startswith("VmRSS"):
                rss_kb = int(line.split()[1])
    return cpu, ctx, rss_kb / 1024.0


def thread_ctx_switches(pid):
    """Context switches summed over every thread of the process."""
    total = 0
    for tid in os.listdir(f"/proc/{pid}/task"):
        try:
            with open(f"/proc/{pid}/task/{tid}/status") as f:
                for line in f:
                    if line.startswith(("voluntary_ctxt_switches", "nonvoluntary_ctxt_switches")):
                        total += int(line.split()[1])
        except FileNotFoundError:
            pass
    return total


class Run:
    """One scenario's folder, sink and daemon."""

    def __init__(self, build, accounts):
        self.build = build
        self.dir = tempfile.mkdtemp(prefix="herald-bench-")
        os.chmod(self.dir, 0o700)
        self.state = os.path.join(self.dir, "state")
        os.makedirs(self.state)
        os.makedirs(os.path.join(self.dir, "calendars"))
        self.sink = None
        self.daemon = None
        self.accounts = accounts

    def start_sink(self):
        port_file = os.path.join(self.dir, "port")
        self.sink_out = os.path.join(self.dir, "sink.txt")
        self.sink = subprocess.Popen([os.path.join(self.build, "bench/daemon/bench_sink_server"),
                                      port_file, self.sink_out])
        for _ in range(100):
            if os.path.exists(port_file):
                break
            time.sleep(0.05)
        with open(port_file) as f:
            self.port = int(f.read())

    def write_config(self, url):
        lines = [f"calendar_dirs: [{self.dir}/calendars]",
                 f"state_dir: {self.state}",
                 f"plugin_dirs: [{self.build}/bench/daemon/plugins]",
                 "log_level: warn",
                 f"control:\n  socket: {self.dir}/herald.sock",
                 "accounts:"]
        for i in range(self.accounts):
            lines.append(f"  benchsink/a{i}:\n    settings: {{url: \"{url}\"}}")
        with open(os.path.join(self.dir, "herald.yaml"), "w") as f:
            f.write("\n".join(lines) + "\n")
        # heraldd builds its queue from the journal only once a calendar load
        # applies, and an empty calendar folder never applies: one calendar
        # with a single post far ahead (its own calendar id, so the seeded
        # jobs are left alone).
        with open(os.path.join(self.dir, "calendars", "placeholder.yaml"), "w") as f:
            f.write("calendar: placeholder\ntime_zone: UTC\ntargets: [benchsink/a0]\n"
                    "campaigns:\n  - id: placeholder\n    goal: retention\n    posts:\n"
                    "      - id: later\n        at: 2099-01-01 09:00\n        text: Later.\n")

    def seed(self, count, first_due, spacing):
        subprocess.run([os.path.join(self.build, "bench/daemon/bench_seed_journal"),
                        os.path.join(self.state, "journal.db"), str(count), str(self.accounts),
                        str(first_due), str(spacing)], check=True, stdout=subprocess.DEVNULL)

    def start_daemon(self, workers=16, extra_args=(), nice=0):
        """nice: the daemon's nice value, as a unit's Nice= sets it (below 0
        needs root or RLIMIT_NICE)."""
        self.log = open(os.path.join(self.dir, "heraldd.log"), "w")
        started = time.monotonic()
        self.daemon = subprocess.Popen(
            (["nice", "-n", str(nice)] if nice else []) +
            [os.path.join(self.build, "daemon/heraldd"), "--config",
             os.path.join(self.dir, "herald.yaml"), "--workers", str(workers), *extra_args],
            stdout=self.log, stderr=subprocess.STDOUT,
            env=dict(os.environ, NOTIFY_SOCKET=self.notify_socket()))
        ready = self.wait_ready()
        return ready - started

    def notify_socket(self):
        path = os.path.join(self.dir, "notify.sock")
        self.notify = socket.socket(socket.AF_UNIX, socket.SOCK_DGRAM)
        self.notify.bind(path)
        return path

    def wait_ready(self, timeout=120):
        self.notify.settimeout(timeout)
        while True:
            msg = self.notify.recv(4096).decode()
            if "READY=1" in msg:
                return time.monotonic()

    def stop(self):
        if self.daemon and self.daemon.poll() is None:
            self.daemon.send_signal(signal.SIGTERM)
            self.daemon.wait(timeout=60)
        if self.sink and self.sink.poll() is None:
            self.sink.send_signal(signal.SIGTERM)
            self.sink.wait(timeout=30)

    def sink_records(self):
        out = []
        with open(self.sink_out) as f:
            for line in f:
                arrival_us, due_ms, job = line.split()
                out.append((int(arrival_us), int(due_ms), job))
        return out

    def cleanup(self):
        shutil.rmtree(self.dir, ignore_errors=True)


def wait_arrivals(run, count, timeout):
    """Polls the daemon's journal-free view: the sink's record file appears only
    at its exit, so count via the daemon log-free proxy of the socket-less sink
    is impossible; instead poll until the daemon has no pending work."""
    deadline = time.monotonic() + timeout
    db = os.path.join(run.state, "journal.db")
    while time.monotonic() < deadline:
        try:
            con = sqlite3.connect(f"file:{db}?mode=ro", uri=True, timeout=5)
            try:  # the triggers' count (schema 3): no scan of the jobs table
                n = con.execute("select n from job_counts where state = 'published'").fetchone()[0]
            except sqlite3.OperationalError:
                n = con.execute("select count(*) from jobs where state = 'published'").fetchone()[0]
            con.close()
            if n >= count:
                return True
        except sqlite3.Error:
            pass
        time.sleep(0.05)
    return False


def machine():
    """'N cores (CPU model), Linux x.y' for the benchmark pages."""
    cpu = "unknown"
    try:
        with open("/proc/cpuinfo") as f:
            cpu = re.search(r"model name\s*:\s*(.*)", f.read()).group(1)
    except (OSError, AttributeError):
        pass
    return f"{os.cpu_count()} cores ({cpu}), {platform.system()} {platform.release()}"


def ensure_built(build, targets):
    """Configures a Release build in `build` when it has no heraldd, then builds `targets`."""
    if not os.path.exists(os.path.join(build, "daemon/heraldd")):
        subprocess.run([os.path.join(TOP, "scripts/setup"), "--release", build], check=True)
    subprocess.run(["cmake", "--build", build, "--target", *targets], check=True)


def write_section(title, section):
    """Replaces the section '## title' of docs/benchmarks.md by `section` (its
    text from the heading on), or appends it; other sections are left alone."""
    path = os.path.join(TOP, "docs", "benchmarks.md")
    text = open(path).read() if os.path.exists(path) else "# Benchmarks\n"
    pattern = re.compile(r"## " + re.escape(title) + r"\n.*?(?=\n## |\Z)", re.S)
    if pattern.search(text):
        # A blank line before the next heading (the match stops at its "\n").
        text = pattern.sub(lambda _: section.rstrip("\n") + "\n", text)
    else:
        text = text.rstrip("\n") + "\n\n" + section
    with open(path, "w") as f:
        f.write(text)
