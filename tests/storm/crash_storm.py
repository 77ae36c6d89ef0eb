#!/usr/bin/env python3
"""The crash storm: the real heraldd against the real herald-sandbox, SIGKILLed
again and again while thousands of jobs fall due, then left to settle. The
verdict comes from the sandbox's own record (its request log and its posts),
never from what heraldd says about itself.

    crash_storm.py HERALDD SANDBOX PLUGIN_DIR
    crash_storm.py --self-test     # the tally against made-up records

The sizes below are CI's (a few minutes on 2 cores with the ASan build); each
can be overridden from the environment for a long storm (docs/testing.md):

    STORM_SEED=7 STORM_JOBS=20000 STORM_KILLS=400 STORM_BUDGET_S=3600 \
      tests/storm/crash_storm.py build/asan/daemon/heraldd \
      build/asan/sandbox/herald-sandbox build/asan/plugins

Kills are of three kinds, drawn from the seed: at a random instant; within
milliseconds after a create request (a Facebook feed post, an Instagram
container or publish, a YouTube upload session or chunk) reaches the sandbox,
seen in its request log as it is written; and during start-up
reconciliation, right after a restart and before the control socket answers.
heraldd is restarted after each kill. Then the storm waits, with a deadline,
until GET /v1/status reports nothing pending, running or unknown.

The tally, printed whatever happens: per job published once, duplicated or
lost; unknown or unsettled jobs left; orphan Instagram containers (created,
never published: harmless, docs/connectors/instagram.md; counted, not
failed); YouTube uploads restarted from byte 0 after a kill. Any duplicate,
loss, restart from 0 or unsettled job fails the test (exit 1).
"""
import http.client
import http.server
import json
import os
import random
import re
import shutil
import signal
import socket
import struct
import subprocess
import sys
import tempfile
import threading
import time
from collections import Counter, defaultdict
from datetime import datetime, timedelta, timezone


def env_int(name, default):
    value = os.environ.get(name, "")
    return int(value) if value.strip() else default


# --- Sizes (CI's defaults; STORM_* overrides them) ---------------------------
SEED = env_int("STORM_SEED", 20261202)
FACEBOOK_ACCOUNTS = env_int("STORM_FACEBOOK_ACCOUNTS", 120)
INSTAGRAM_ACCOUNTS = env_int("STORM_INSTAGRAM_ACCOUNTS", 100)
YOUTUBE_ACCOUNTS = env_int("STORM_YOUTUBE_ACCOUNTS", 60)
JOBS = env_int("STORM_JOBS", 2400)          # in all, over the three platforms
YOUTUBE_SHARE_PERCENT = env_int("STORM_YOUTUBE_SHARE_PERCENT", 6)
INSTAGRAM_SHARE_PERCENT = env_int("STORM_INSTAGRAM_SHARE_PERCENT", 34)
DUE_SPAN_S = env_int("STORM_DUE_SPAN_S", 60)     # jobs fall due over this long
LEAD_S = env_int("STORM_LEAD_S", 15)             # the first is due this long after start
KILLS = env_int("STORM_KILLS", 60)               # SIGKILLs in all (at least 50 in CI)
BUDGET_S = env_int("STORM_BUDGET_S", 720)        # the whole storm, settling included
START_DEADLINE_S = env_int("STORM_START_DEADLINE_S", 90)  # one start of heraldd, under load
WORKERS = env_int("STORM_WORKERS", 16)

# YouTube videos of several chunks: the smallest chunk YouTube takes, and a
# file of YOUTUBE_CHUNKS of them (the last one partial).
CHUNK_BYTES = 256 * 1024
YOUTUBE_CHUNKS = 3
CAROUSEL_ITEMS = 3

HERE = os.path.dirname(os.path.abspath(__file__))
TOP = os.path.dirname(os.path.dirname(HERE))
MEDIA_SRC = os.path.join(TOP, "examples", "calendars", "media")

CREATE_KINDS = ("feed", "container", "publish", "upload_start", "chunk")


def log(message):
    print(f"[storm {time.strftime('%H:%M:%S')}] {message}", flush=True)


class StormError(Exception):
    pass


# --- The control API over its Unix socket ------------------------------------
class UnixHTTPConnection(http.client.HTTPConnection):
    def __init__(self, path, timeout):
        super().__init__("herald", timeout=timeout)
        self.unix_path = path

    def connect(self):
        self.sock = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
        self.sock.settimeout(self.timeout)
        self.sock.connect(self.unix_path)


def control_get(sock_path, path, timeout=10):
    conn = UnixHTTPConnection(sock_path, timeout)
    try:
        conn.request("GET", path)
        response = conn.getresponse()
        body = response.read()
        if response.status != 200:
            raise StormError(f"GET {path}: {response.status} {body[:200]!r}")
        return json.loads(body)
    finally:
        conn.close()


def socket_answers(sock_path):
    try:
        control_get(sock_path, "/v1/status", timeout=2)
        return True
    except (OSError, StormError, ValueError, http.client.HTTPException):
        return False


def sandbox_get(url, path, timeout=60):
    host, port = url.split("//", 1)[1].split(":")
    conn = http.client.HTTPConnection(host, int(port), timeout=timeout)
    try:
        conn.request("GET", path)
        response = conn.getresponse()
        body = response.read()
        if response.status != 200:
            raise StormError(f"sandbox GET {path}: {response.status}")
        return json.loads(body)
    finally:
        conn.close()


def poll(deadline_s, what, check, interval=0.05):
    """Calls check() until it returns a true value (returned), or raises at the deadline."""
    end = time.monotonic() + deadline_s
    while True:
        result = check()
        if result:
            return result
        if time.monotonic() >= end:
            raise StormError(f"timed out after {deadline_s:.0f} s waiting for {what}")
        time.sleep(interval)


# --- Media -------------------------------------------------------------------
def padded_mp4(src, dst, size):
    """The MP4 `src` followed by a top-level `free` box, so that the file is
    exactly `size` bytes: still the same playable video to any reader."""
    with open(src, "rb") as f:
        data = f.read()
    pad = size - len(data)
    if pad < 8:
        raise StormError(f"{src} is too big to pad to {size} bytes")
    with open(dst, "wb") as f:
        f.write(data + struct.pack(">I", pad) + b"free" + b"\0" * (pad - 8))


class QuietHandler(http.server.SimpleHTTPRequestHandler):
    def log_message(self, *args):
        pass


def serve_media(directory):
    handler = lambda *a, **k: QuietHandler(*a, directory=directory, **k)  # noqa: E731
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    server.daemon_threads = True
    threading.Thread(target=server.serve_forever, daemon=True).start()
    return server


# --- The world: accounts, jobs, calendars, configuration ---------------------
class Account:
    def __init__(self, platform, index):
        self.platform = platform
        self.name = f"storm-{platform[:2]}-{index:04d}"
        self.key = f"{platform}/{self.name}"
        if platform == "facebook":
            self.id = f"1049{index:011d}"
        elif platform == "instagram":
            self.id = f"1784149{index:010d}"
        else:
            self.id = f"UCstorm{index:017d}"
        self.token = f"sandbox-storm-{platform}-{index}"
        self.refresh = f"sandbox-storm-refresh-{index}"


class Job:
    def __init__(self, number, account, kind, due):
        self.number = number
        self.account = account
        self.kind = kind  # text, image, reel, carousel, video
        self.due = due
        self.post_id = f"j{number:06d}"
        self.marker = f"storm {SEED} job {number:06d}"  # text (Graph) or title (YouTube)


def make_world(rng, t0):
    accounts = ([Account("facebook", i) for i in range(FACEBOOK_ACCOUNTS)] +
                [Account("instagram", i) for i in range(INSTAGRAM_ACCOUNTS)] +
                [Account("youtube", i) for i in range(YOUTUBE_ACCOUNTS)])
    by_platform = defaultdict(list)
    for a in accounts:
        by_platform[a.platform].append(a)
    jobs = []
    for n in range(JOBS):
        roll = rng.randrange(100)
        if roll < YOUTUBE_SHARE_PERCENT and by_platform["youtube"]:
            platform, kind = "youtube", "video"
        elif roll < YOUTUBE_SHARE_PERCENT + INSTAGRAM_SHARE_PERCENT and by_platform["instagram"]:
            platform, kind = "instagram", rng.choice(["image", "reel", "carousel"])
        else:
            platform, kind = "facebook", "text"
        account = rng.choice(by_platform[platform])
        due = t0 + timedelta(seconds=rng.randrange(DUE_SPAN_S + 1))
        jobs.append(Job(n, account, kind, due))
    return accounts, jobs


def write_sandbox_config(path, accounts):
    lines = [
        f"seed: {SEED}",
        "processing: {instagram_container_seconds: 1, youtube_processing_seconds: 0}",
        "rate_limits: {graph_calls_per_hour: 0, instagram_posts_per_day: 100000,",
        "              youtube_quota_units_per_day: 100000000, youtube_uploads_per_day: 100000}",
        "engagement: {likes_per_minute: 0, comments_per_minute: 0, shares_per_minute: 0,",
        "             views_per_minute: 0}",
        "oauth:",
        "  access_token_seconds: 86400",
        "  clients: [{client_id: storm-client, client_secret: storm-secret}]",
        "accounts:",
    ]
    for a in accounts:
        lines.append(f"  - platform: {a.platform}")
        lines.append(f"    id: \"{a.id}\"")
        lines.append(f"    name: {a.name}")
        lines.append(f"    tokens: [{a.token}]")
        if a.platform == "youtube":
            lines.append(f"    refresh_tokens: [{a.refresh}]")
    with open(path, "w") as f:
        f.write("\n".join(lines) + "\n")


def write_herald_config(work, url, media_url, accounts):
    creds = []
    for a in accounts:
        creds.append(f"{a.key}:")
        creds.append(f"  access_token: {a.token}")
        if a.platform == "youtube":
            creds.append(f"  refresh_token: {a.refresh}")
            creds.append("  client_id: storm-client")
            creds.append("  client_secret: storm-secret")
    cred_path = os.path.join(work, "credentials.yaml")
    fd = os.open(cred_path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    with os.fdopen(fd, "w") as f:
        f.write("\n".join(creds) + "\n")
    os.chmod(cred_path, 0o600)

    lines = [
        f"calendar_dirs: [{work}/calendars]",
        f"state_dir: {work}/state",
        f"plugin_dirs: [{PLUGIN_DIR}]",
        "log_level: info",
        f"credentials_file: {cred_path}",
        "control:",
        f"  socket: {work}/herald.sock",
        "retry: {base_delay: 200ms, max_delay: 2s, max_attempts: 8, jitter: full}",
        "late_grace: 1h",
        "media:",
        f"  public_base_url: {media_url}",
        f"  dir: {work}/media",
        "  mode: \"0644\"",
        "accounts:",
    ]
    for a in accounts:
        lines.append(f"  {a.key}:")
        lines.append(f"    api_base: {url}")
        lines.append(f"    credentials: {a.key}")
        if a.platform == "facebook":
            lines.append(f"    settings: {{page_id: \"{a.id}\"}}")
        elif a.platform == "instagram":
            lines.append(f"    settings: {{ig_user_id: \"{a.id}\"}}")
        else:
            lines.append(f"    settings: {{channel_id: {a.id}, chunk_bytes: {CHUNK_BYTES}}}")
    with open(os.path.join(work, "herald.yaml"), "w") as f:
        f.write("\n".join(lines) + "\n")


def write_calendars(cal_dir, jobs):
    media = os.path.join(cal_dir, "media")
    os.makedirs(media)
    for name in ("first-press-free.jpg", "stain-tip.jpg", "behind-the-counter.mp4"):
        shutil.copy(os.path.join(MEDIA_SRC, name), os.path.join(media, name))
    video = os.path.join(MEDIA_SRC, "behind-the-counter.mp4")
    video_bytes = (YOUTUBE_CHUNKS - 1) * CHUNK_BYTES + 4096
    padded_mp4(video, os.path.join(media, "upload.mp4"), video_bytes)

    by_platform = defaultdict(list)
    for j in jobs:
        by_platform[j.account.platform].append(j)
    for platform, its_jobs in by_platform.items():
        out = [f"calendar: storm-{platform}", "time_zone: UTC", "late: publish within 1h",
               "campaigns:", "  - id: storm", "    goal: retention", "    posts:"]
        for j in sorted(its_jobs, key=lambda j: j.number):
            at = j.due.strftime("%Y-%m-%d %H:%M:%S")
            out.append(f"      - id: {j.post_id}")
            out.append(f"        at: \"{at}\"")
            out.append(f"        targets: [{j.account.key}]")
            if j.kind == "text":
                out.append(f"        text: \"{j.marker}: a post that must go out once\"")
            elif j.kind == "image":
                out.append(f"        text: \"{j.marker}: an image\"")
                out.append("        media: [media/first-press-free.jpg]")
            elif j.kind == "reel":
                out.append(f"        text: \"{j.marker}: a reel\"")
                out.append("        media: [media/behind-the-counter.mp4]")
            elif j.kind == "carousel":
                out.append(f"        text: \"{j.marker}: a carousel\"")
                items = ["media/first-press-free.jpg", "media/stain-tip.jpg",
                         "media/behind-the-counter.mp4"][:CAROUSEL_ITEMS]
                out.append(f"        media: [{', '.join(items)}]")
            else:
                out.append(f"        text: \"{j.marker}: a video of {YOUTUBE_CHUNKS} chunks\"")
                out.append("        media: [media/upload.mp4]")
                out.append(f"        youtube: {{title: \"{j.marker}\", privacy: unlisted}}")
        path = os.path.join(cal_dir, f"storm-{platform}.yaml")
        with open(path + ".tmp", "w") as f:
            f.write("\n".join(out) + "\n")
        os.rename(path + ".tmp", path)


# --- The sandbox's request log, read as it is written ------------------------
def create_kind(entry):
    """Which create request this log entry is, or None."""
    method, path = entry["method"], entry["path"]
    if method == "POST" and re.fullmatch(r"/v[0-9.]+/[0-9]+/feed", path):
        return "feed"
    if method == "POST" and re.fullmatch(r"/v[0-9.]+/[0-9]+/media", path):
        return "container"
    if method == "POST" and re.fullmatch(r"/v[0-9.]+/[0-9]+/media_publish", path):
        return "publish"
    if path == "/upload/youtube/v3/videos":
        if method == "POST":
            return "upload_start"
        if method == "PUT" and not entry["params"].get("Content-Range", "").startswith("bytes */"):
            return "chunk"
    return None


class RequestLogTail:
    def __init__(self, path):
        self.path = path
        self.offset = 0
        self.partial = b""
        self.count = 0

    def new_entries(self):
        try:
            with open(self.path, "rb") as f:
                f.seek(self.offset)
                data = f.read()
        except FileNotFoundError:
            return []
        self.offset += len(data)
        data = self.partial + data
        lines = data.split(b"\n")
        self.partial = lines.pop()
        out = []
        for line in lines:
            if line.strip():
                out.append(json.loads(line))
        self.count += len(out)
        return out


# --- heraldd -----------------------------------------------------------------
class Daemon:
    def __init__(self, binary, work):
        self.binary = binary
        self.work = work
        self.sock = os.path.join(work, "herald.sock")
        self.log_path = os.path.join(work, "heraldd.log")
        self.proc = None
        self.starts = 0

    def start(self):
        log_file = open(self.log_path, "ab")
        self.log_offset = log_file.tell()
        self.proc = subprocess.Popen(
            [self.binary, "--config", os.path.join(self.work, "herald.yaml"),
             "--workers", str(WORKERS)],
            stdout=log_file, stderr=subprocess.STDOUT)
        log_file.close()
        self.spawned = time.monotonic()
        self.starts += 1

    def alive(self):
        return self.proc is not None and self.proc.poll() is None

    def kill(self):
        """SIGKILL; returns False when heraldd was not running (the kill is retried)."""
        if not self.alive():
            return False
        os.kill(self.proc.pid, signal.SIGKILL)
        self.proc.wait()
        return True

    def exited_by_itself(self):
        return self.proc is not None and self.proc.returncode is not None and \
            self.proc.returncode != -signal.SIGKILL

    def wait_ready(self, deadline_s):
        def ready():
            if not self.alive():
                raise StormError(f"heraldd exited by itself ({self.proc.returncode}):\n"
                                 + self.log_since_start())
            return socket_answers(self.sock)
        poll(deadline_s, "heraldd's control socket", ready, 0.1)

    def log_since_start(self, limit=4000):
        with open(self.log_path, "rb") as f:
            f.seek(self.log_offset)
            text = f.read().decode(errors="replace")
        return text if limit is None else text[-limit:]

    def stop(self):
        if not self.alive():
            return None
        self.proc.send_signal(signal.SIGTERM)
        try:
            return self.proc.wait(timeout=60)
        except subprocess.TimeoutExpired:
            self.proc.kill()
            self.proc.wait()
            return "did not stop within 60 s of SIGTERM"


# --- The storm ---------------------------------------------------------------
class Storm:
    """Every iteration starts with a heraldd just started (restarted after the
    previous kill, or the first start), and ends with it killed and started
    again."""

    def __init__(self, rng, daemon, tail, deadline, ready_s):
        self.rng = rng
        self.daemon = daemon
        self.tail = tail
        self.deadline = deadline
        self.ready_s = ready_s  # how long the first start took to answer
        self.spawned = time.monotonic()
        self.kills = Counter()
        self.kill_log = []
        self.retried = 0
        self.startup_missed = 0
        self.quiet_rounds = 0
        self.creates = list(CREATE_KINDS)
        self.rng.shuffle(self.creates)

    def remaining(self):
        return self.deadline - time.monotonic()

    def total(self):
        return sum(self.kills.values())

    def check_alive(self):
        if self.daemon.exited_by_itself() or (not self.daemon.alive() and
                                              self.daemon.proc.returncode != -signal.SIGKILL):
            raise StormError(f"heraldd exited by itself ({self.daemon.proc.returncode}):\n"
                             + self.daemon.log_since_start())

    def kill_and_restart(self, kind, detail):
        """SIGKILL and start again; a kill that finds heraldd down is retried
        by the caller (False)."""
        self.check_alive()
        if not self.daemon.kill():
            self.retried += 1
            return False
        self.kills[kind] += 1
        self.kill_log.append((round(time.monotonic(), 3), kind, detail))
        self.daemon.start()
        self.spawned = time.monotonic()
        return True

    def random_kill(self):
        """At a seeded instant of this start: anywhere from the spawn to a few
        seconds past the time the last start took to answer."""
        delay = self.rng.uniform(0.0, self.ready_s + (0.0 if self.idle() else 3.0))
        while time.monotonic() - self.spawned < delay:
            self.check_alive()
            self.tail.new_entries()
            time.sleep(0.005)
        up = "up" if socket_answers(self.daemon.sock) else "starting"
        return self.kill_and_restart("random", f"{delay:.2f} s after the start ({up})")

    def create_kill(self):
        """Within milliseconds after the next create request of the wanted kind
        reaches the sandbox (any create request after a while)."""
        want = self.creates[self.total() % len(self.creates)]
        self.tail.new_entries()  # only requests from now on count
        begun = time.monotonic()
        patience = self.ready_s + 4.0
        asked = begun
        while time.monotonic() - begun < 2 * patience:
            for entry in self.tail.new_entries():
                kind = create_kind(entry)
                if kind == want or (kind and time.monotonic() - begun > patience):
                    return self.kill_and_restart("create", f"{kind}")
            self.check_alive()
            if time.monotonic() - asked > 1.0 and time.monotonic() - begun > patience:
                asked = time.monotonic()
                if self.nothing_left():
                    self.quiet_rounds = 3
                    break
            time.sleep(0.001)
        # Nothing is being created any more: a kill at this instant instead.
        return self.kill_and_restart("random", "no create request in sight")

    def idle(self):
        """No work left by the look of it: the sandbox heard nothing for three
        rounds, or heraldd said so. Kills then land in start-ups (the rest of
        the start is dead time); it ends when requests come again."""
        return self.quiet_rounds >= 3

    def nothing_left(self):
        """heraldd is up and has nothing pending, running or unknown."""
        try:
            s = control_get(self.daemon.sock, "/v1/status", timeout=5)["jobs"]
        except (OSError, StormError, ValueError, http.client.HTTPException):
            return False
        return s.get("pending", 0) + s.get("running", 0) + s.get("unknown", 0) == 0

    def startup_kill(self):
        """As soon as this start reconciles (its log says so, or it sends the
        sandbox a request), before its control socket answers."""
        self.tail.new_entries()
        while time.monotonic() - self.spawned < START_DEADLINE_S:
            reconciling = "reconciling" in self.daemon.log_since_start(limit=None)
            requested = bool(self.tail.new_entries())
            if socket_answers(self.daemon.sock):
                break
            if reconciling or requested:
                why = "reconciling" if reconciling else "first request"
                return self.kill_and_restart(
                    "startup", f"{why}, {time.monotonic() - self.spawned:.2f} s into the start")
            self.check_alive()
            time.sleep(0.002)
        # Ready before it reconciled anything (nothing was in flight): the
        # next kill is of another kind.
        self.startup_missed += 1
        return False

    def run(self):
        kinds = ["random"] * 7 + ["create"] * 8 + ["startup"] * 5
        while self.total() < KILLS:
            if self.remaining() < 120:
                log("the kill phase is out of time")
                break
            kind = self.rng.choice(kinds)
            if kind == "create" and self.idle():
                kind = "random"
            before, heard = self.total(), self.tail.count
            if kind == "random":
                self.random_kill()
            elif kind == "create":
                self.create_kill()
            else:
                self.startup_kill()
            self.tail.new_entries()
            self.quiet_rounds = self.quiet_rounds + 1 if self.tail.count == heard else 0
            if self.total() != before and self.total() % 10 == 0:
                log(f"{self.total()} kills ({dict(self.kills)}), "
                    f"{self.tail.count} requests on the sandbox")


# --- The tally ---------------------------------------------------------------
def all_jobs(sock):
    jobs, cursor = [], None
    while True:
        path = "/v1/jobs?limit=1000" + (f"&cursor={cursor}" if cursor else "")
        page = control_get(sock, path, timeout=60)
        jobs.extend(page["jobs"])
        cursor = page.get("next_cursor")
        if not cursor:
            return jobs


def read_log(path):
    with open(path) as f:
        return [json.loads(line) for line in f if line.strip()]


def tally(jobs, accounts, entries, posts, daemon_jobs):
    """The verdict from the sandbox's request log `entries` and `posts`
    (GET /_sandbox/posts), with heraldd's own job list for the states."""
    on_platform = Counter()
    for acc in posts["accounts"]:
        for p in acc["posts"]:
            marker = p["title"] if acc["platform"] == "youtube" else p["text"].split(":")[0]
            on_platform[(acc["id"], marker)] += 1

    result = {"jobs": len(jobs), "published_once": 0, "duplicated": [], "lost": []}
    daemon_state = {d["post"]: f"{d['state']}: {d['last_error']}" if d.get("last_error")
                    else d["state"] for d in daemon_jobs}
    for j in jobs:
        n = on_platform[(j.account.id, j.marker)]
        if n == 1:
            result["published_once"] += 1
        elif n > 1:
            result["duplicated"].append(f"{j.post_id} ({j.kind} on {j.account.key}) x{n}")
        else:
            result["lost"].append(f"{j.post_id} ({j.kind} on {j.account.key}, due "
                                  f"{j.due.strftime('%H:%M:%S')}; heraldd says "
                                  f"{daemon_state.get(j.post_id, 'nothing')})")
    expected_markers = {(j.account.id, j.marker) for j in jobs}
    result["unexpected_posts"] = sum(n for k, n in on_platform.items()
                                     if k not in expected_markers)

    states = Counter(d["state"] for d in daemon_jobs)
    result["daemon_states"] = dict(states)
    result["unknown_left"] = states.get("unknown", 0)
    result["unsettled"] = sorted(f"{d['post']} {d['state']}" for d in daemon_jobs
                                 if d["state"] in ("pending", "running", "unknown"))

    # Instagram containers: each published image or reel used one, each
    # carousel one per item and its own; every other one created is an orphan.
    ig_ids = {a.id for a in accounts if a.platform == "instagram"}
    created = Counter()
    for e in entries:
        if create_kind(e) == "container" and e["status"] == 200:
            created[e["path"].split("/")[2]] += 1
    used = Counter()
    for j in jobs:
        if j.account.id in ig_ids:
            n = on_platform[(j.account.id, j.marker)]
            used[j.account.id] += n * ((CAROUSEL_ITEMS + 1) if j.kind == "carousel" else 1)
    orphans = sum(max(0, created[ig] - used[ig]) for ig in ig_ids)
    result["ig_containers_created"] = sum(created.values())
    result["ig_orphan_containers"] = orphans

    # YouTube upload sessions, from their chunks: a chunk from byte 0 into a
    # session that already holds bytes, or a session left with bytes for a
    # new one, is an upload restarted from byte 0.
    sessions = {}
    order = []
    for e in entries:
        if e["path"] != "/upload/youtube/v3/videos" or e["method"] != "PUT":
            continue
        sid = e["params"].get("upload_id", "")
        s = sessions.get(sid)
        if s is None:
            s = sessions[sid] = {"acked": 0, "done": False, "zero_restarts": 0, "resent": 0}
            order.append(sid)
        m = re.fullmatch(r"bytes (\d+)-(\d+)/(\d+|\*)", e["params"].get("Content-Range", ""))
        if m and e["status"] in (200, 201, 308):
            start, end = int(m.group(1)), int(m.group(2)) + 1
            if start == 0 and s["acked"] > 0:
                s["zero_restarts"] += 1
            elif start < s["acked"]:
                s["resent"] += 1
            s["acked"] = max(s["acked"], end)
        if e["status"] in (200, 201):
            s["done"] = True
    restarts = []
    for sid in order:
        s = sessions[sid]
        if s["zero_restarts"]:
            restarts.append(f"{sid}: byte 0 sent again after {s['acked']} bytes")
        if not s["done"] and s["acked"] > 0:
            restarts.append(f"{sid}: left with {s['acked']} bytes acknowledged, never finished")
    result["yt_sessions"] = len(sessions)
    result["yt_restarted_from_0"] = restarts
    result["yt_chunks_resent_below_offset"] = sum(s["resent"] for s in sessions.values())
    result["requests"] = len(entries)
    result["requests_by_status"] = dict(Counter(e["status"] for e in entries))
    return result


def print_tally(t, storm, elapsed):
    print("=" * 72)
    print(f"crash storm: seed {SEED}, {t['jobs']} jobs on {FACEBOOK_ACCOUNTS}+{INSTAGRAM_ACCOUNTS}+"
          f"{YOUTUBE_ACCOUNTS} accounts (facebook+instagram+youtube), {elapsed:.0f} s")
    if storm:
        print(f"kills: {sum(storm.kills.values())} {dict(storm.kills)}, "
              f"{storm.retried} retried (heraldd was down), {storm.startup_missed} start(s) "
              f"ready before any reconciliation")
        how = Counter(re.sub(r"[0-9.]+", "N", f"{kind}: {detail}")
                      for _, kind, detail in storm.kill_log)
        for what, n in sorted(how.items()):
            print(f"  {n:4d} x {what}")
    print(f"sandbox requests: {t.get('requests')} by status {t.get('requests_by_status')}")
    print(f"daemon states: {t.get('daemon_states')}")
    print(f"published once:       {t['published_once']}")
    print(f"duplicated:           {len(t['duplicated'])}")
    print(f"lost:                 {len(t['lost'])}")
    print(f"unknown left:         {t.get('unknown_left')}")
    print(f"unsettled:            {len(t.get('unsettled', []))}")
    print(f"ig containers:        {t.get('ig_containers_created')} created, "
          f"{t.get('ig_orphan_containers')} orphans (never published; harmless)")
    print(f"yt upload sessions:   {t.get('yt_sessions')}, restarted from byte 0: "
          f"{len(t.get('yt_restarted_from_0', []))}, chunks re-sent below the offset: "
          f"{t.get('yt_chunks_resent_below_offset')}")
    print(f"unexpected posts:     {t.get('unexpected_posts')}")
    for name in ("duplicated", "lost", "unsettled", "yt_restarted_from_0"):
        items = t.get(name) or []
        for item in items[:20]:
            print(f"  {name}: {item}")
        if len(items) > 20:
            print(f"  {name}: ... {len(items) - 20} more")
    print("=" * 72, flush=True)


def self_test():
    """The tally against made-up records: each failure it must see, it sees."""
    global CAROUSEL_ITEMS
    fb, ig, yt = Account("facebook", 1), Account("instagram", 2), Account("youtube", 3)
    t0 = datetime(2027, 1, 1, tzinfo=timezone.utc)
    jobs = [Job(0, fb, "text", t0), Job(1, fb, "text", t0), Job(2, ig, "carousel", t0),
            Job(3, yt, "video", t0), Job(4, ig, "image", t0)]
    posts = {"accounts": [
        {"platform": "facebook", "id": fb.id, "posts": [
            {"text": jobs[0].marker + ": x", "title": ""},
            {"text": jobs[0].marker + ": x", "title": ""}]},           # job 0 twice, job 1 never
        {"platform": "instagram", "id": ig.id, "posts": [
            {"text": jobs[2].marker + ": x", "title": ""},
            {"text": jobs[4].marker + ": x", "title": ""}]},
        {"platform": "youtube", "id": yt.id, "posts": [{"text": "", "title": jobs[3].marker}]}]}
    container = {"method": "POST", "path": f"/v26.0/{ig.id}/media", "params": {}, "status": 200}
    chunk = lambda sid, rng, status=308: {  # noqa: E731
        "method": "PUT", "path": "/upload/youtube/v3/videos", "status": status,
        "params": {"upload_id": sid, "Content-Range": rng}}
    entries = ([container] * (CAROUSEL_ITEMS + 1 + 1 + 2) +  # the carousel, the image, 2 orphans
               [chunk("a", "bytes 0-262143/300000"), chunk("a", "bytes */300000"),
                chunk("a", "bytes 0-262143/300000"),            # restarted from 0 in a session
                chunk("b", "bytes 0-262143/300000"),            # left with bytes for "c"
                chunk("c", "bytes 0-262143/300000"),
                chunk("c", "bytes 262144-299999/300000", 200)])
    daemon_jobs = [{"post": "j000001", "state": "unknown", "last_error": "kill"}]
    t = tally(jobs, [fb, ig, yt], entries, posts, daemon_jobs)
    checks = [
        (t["published_once"] == 3, "published once: 3"),
        (len(t["duplicated"]) == 1 and "j000000" in t["duplicated"][0], "job 0 duplicated"),
        (len(t["lost"]) == 1 and "j000001" in t["lost"][0] and "unknown: kill" in t["lost"][0],
         "job 1 lost, with heraldd's word"),
        (t["unknown_left"] == 1 and t["unsettled"] == ["j000001 unknown"], "one unsettled"),
        (t["ig_orphan_containers"] == 2, "two orphan containers"),
        (len(t["yt_restarted_from_0"]) == 3, "restarts from byte 0: a twice, b"),
        (t["yt_sessions"] == 3, "three sessions"),
    ]
    bad = [what for ok, what in checks if not ok]
    for what in bad:
        print(f"FAIL: the tally missed: {what}\n{json.dumps(t, indent=1)}")
    clean = tally(jobs[3:4], [yt], entries[-1:], {"accounts": posts["accounts"][2:]}, [])
    if clean["published_once"] != 1 or clean["yt_restarted_from_0"] or clean["lost"]:
        bad.append("clean")
        print(f"FAIL: a clean record is not clean: {clean}")
    print("PASS" if not bad else "")
    return 1 if bad else 0


def main():
    global PLUGIN_DIR
    if sys.argv[1:] == ["--self-test"]:
        return self_test()
    if len(sys.argv) != 4:
        print(__doc__, file=sys.stderr)
        return 2
    heraldd, sandbox_bin, PLUGIN_DIR = (os.path.abspath(a) for a in sys.argv[1:])
    started = time.monotonic()
    deadline = started + BUDGET_S
    rng = random.Random(SEED)
    work = tempfile.mkdtemp(prefix="herald-storm.")
    os.chmod(work, 0o700)
    for d in ("calendars", "state", "media"):
        os.makedirs(os.path.join(work, d))
    log(f"seed {SEED}, {JOBS} jobs, {KILLS} kills, budget {BUDGET_S} s, in {work}")

    t0 = datetime.now(timezone.utc).replace(microsecond=0) + timedelta(seconds=LEAD_S)
    accounts, jobs = make_world(rng, t0)
    write_sandbox_config(os.path.join(work, "sandbox.yaml"), accounts)
    media_server = serve_media(os.path.join(work, "media"))
    media_url = f"http://127.0.0.1:{media_server.server_address[1]}"

    request_log = os.path.join(work, "requests.jsonl")
    sandbox_out = open(os.path.join(work, "sandbox.out"), "wb")
    sandbox = subprocess.Popen([sandbox_bin, "--config", os.path.join(work, "sandbox.yaml"),
                                "--listen", "127.0.0.1:0", "--log", request_log],
                               stdout=sandbox_out, stderr=subprocess.STDOUT)
    daemon = Daemon(heraldd, work)
    storm = None
    failures = []
    t = {"jobs": len(jobs), "published_once": 0, "duplicated": [], "lost": []}
    try:
        def sandbox_url():
            with open(os.path.join(work, "sandbox.out")) as f:
                m = re.search(r"listening on (http://127\.0\.0\.1:[0-9]+)", f.read())
            if sandbox.poll() is not None:
                raise StormError("the sandbox exited")
            return m.group(1) if m else None
        url = poll(30, "the sandbox to listen", sandbox_url)
        write_herald_config(work, url, media_url, accounts)
        write_calendars(os.path.join(work, "calendars"), jobs)
        counts = Counter(j.kind for j in jobs)
        log(f"jobs by kind {dict(counts)}, due {t0:%H:%M:%S} to "
            f"{t0 + timedelta(seconds=DUE_SPAN_S):%H:%M:%S} UTC")

        daemon.start()
        daemon.wait_ready(START_DEADLINE_S)
        def loaded_all():
            s = control_get(daemon.sock, "/v1/status")
            errors = [d["text"] for d in s["calendars"]["last_load"].get("diagnostics", [])
                      if d.get("severity") == "error"]
            if errors:
                raise StormError("the storm's calendars do not load:\n" + "\n".join(errors[:10]))
            return s if sum(s["jobs"].values()) >= len(jobs) else None
        loaded = poll(60, "the calendars to load", loaded_all)
        log(f"heraldd ready in {time.monotonic() - started:.1f} s: {loaded['jobs']}")

        tail = RequestLogTail(request_log)
        ready_s = time.monotonic() - daemon.spawned
        log(f"the first start took {ready_s:.1f} s")
        # The storm begins with the first create request: jobs are falling due.
        poll(LEAD_S + 60, "the first create request",
             lambda: any(create_kind(e) for e in tail.new_entries()), 0.01)
        storm = Storm(rng, daemon, tail, deadline, ready_s)
        storm.spawned = daemon.spawned
        storm.run()
        if sum(storm.kills.values()) < KILLS:
            failures.append(f"only {sum(storm.kills.values())} of {KILLS} kills in the budget")

        # Settle: heraldd up, then nothing pending, running or unknown.
        if not daemon.alive():
            daemon.start()
        log("kills done; settling")
        daemon.wait_ready(max(10, min(START_DEADLINE_S, storm.remaining())))

        def settled():
            s = control_get(daemon.sock, "/v1/status")["jobs"]
            if s.get("pending", 0) + s.get("running", 0) + s.get("unknown", 0):
                return None
            # The counts may be 0.1 s old; the job list is current.
            return all(d["state"] not in ("pending", "running", "unknown")
                       for d in all_jobs(daemon.sock))
        try:
            poll(max(10, storm.remaining()), "the jobs to settle", settled, 0.5)
        except StormError as e:
            failures.append(str(e))
        daemon_jobs = all_jobs(daemon.sock)
        rc = daemon.stop()
        if rc != 0:
            failures.append(f"heraldd exited {rc} after SIGTERM")
        t = tally(jobs, accounts, read_log(request_log), sandbox_get(url, "/_sandbox/posts"),
                  daemon_jobs)
    except StormError as e:
        failures.append(str(e))
    finally:
        if daemon.alive():
            daemon.kill()
        sandbox.send_signal(signal.SIGTERM)
        try:
            sandbox.wait(timeout=30)
        except subprocess.TimeoutExpired:
            sandbox.kill()
        media_server.shutdown()

    print_tally(t, storm, time.monotonic() - started)
    if t["duplicated"]:
        failures.append(f"{len(t['duplicated'])} job(s) duplicated")
    if t["lost"]:
        failures.append(f"{len(t['lost'])} job(s) lost")
    if t.get("unsettled"):
        failures.append(f"{len(t['unsettled'])} job(s) unsettled")
    if t.get("yt_restarted_from_0"):
        failures.append(f"{len(t['yt_restarted_from_0'])} YouTube upload(s) restarted from byte 0")
    if t.get("unexpected_posts"):
        failures.append(f"{t['unexpected_posts']} post(s) on the sandbox that no job made")
    if failures:
        for f in failures:
            print(f"FAIL: {f}")
        print(f"kept {work} (heraldd.log, requests.jsonl); rerun with STORM_SEED={SEED}")
        try:
            with open(daemon.log_path, "rb") as f:
                text = f.read().decode(errors="replace")
            errors = [l for l in text.splitlines() if " error" in l or "[error]" in l]
            print("--- heraldd errors (last 20)")
            print("\n".join(errors[-20:]))
        except OSError:
            pass
        return 1
    if os.environ.get("STORM_KEEP") == "1":
        print(f"kept {work}")
    else:
        shutil.rmtree(work, ignore_errors=True)
    print("PASS")
    return 0


if __name__ == "__main__":
    sys.exit(main())
