"""Misbehaving control-socket clients, for tests/e2e/security_control_flood.sh.

    python3 control_flood.py SOCKET UID GID IDLE SLOW STATS_FILE

Drops to UID:GID (a peer with no admin role), then keeps IDLE connections
open that never send a byte and SLOW connections that send a request's
headers one byte a second (slowloris). Every connection the server closes
(a 503 beyond the caps, a 408 at the header timeout) is opened again at
once, so the pressure never lets up. Runs until SIGTERM, then writes what it
saw to STATS_FILE as JSON: how many connects it made, how many answers of
each status it got, and the most connections it held open at once.
"""
import json
import os
import selectors
import signal
import socket
import sys
import time

path, uid, gid = sys.argv[1], int(sys.argv[2]), int(sys.argv[3])
idle_n, slow_n, stats_file = int(sys.argv[4]), int(sys.argv[5]), sys.argv[6]
# The reports are opened before the privileges go (the test's folder is root's).
ready_out = open(stats_file + ".ready", "w")
stats_out = open(stats_file, "w")
os.setgroups([])
os.setgid(gid)
os.setuid(uid)

stats = {"connects": 0, "connect_errors": 0, "answers": {}, "max_held": 0, "ready": False}
sel = selectors.DefaultSelector()
conns = {}  # socket -> {"slow": bool, "next": time of the next byte, "data": bytes}
SLOW_REQUEST = b"GET /v1/status HTTP/1.1\r\nHost: herald\r\nX-Padding: " + b"a" * 4000


def open_one(slow):
    s = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
    s.setblocking(False)
    try:
        s.connect(path)
    except BlockingIOError:
        pass
    except OSError:
        stats["connect_errors"] += 1
        s.close()
        return False
    stats["connects"] += 1
    conns[s] = {"slow": slow, "sent": 0, "next": time.monotonic(), "data": b""}
    sel.register(s, selectors.EVENT_READ)
    return True


def drop(s):
    sel.unregister(s)
    info = conns.pop(s)
    s.close()
    return info["slow"]


stopping = False


def stop(*_):
    global stopping
    stopping = True


signal.signal(signal.SIGTERM, stop)
wanted = [False] * idle_n + [True] * slow_n
for slow in wanted:
    open_one(slow)
stats["ready"] = True
ready_out.write("ready\n")
ready_out.close()

while not stopping:
    now = time.monotonic()
    for s, info in list(conns.items()):
        if info["slow"] and info["next"] <= now and info["sent"] < len(SLOW_REQUEST):
            try:
                s.send(SLOW_REQUEST[info["sent"]:info["sent"] + 1])
                info["sent"] += 1
            except OSError:
                pass
            info["next"] = now + 1.0
    for key, _ in sel.select(timeout=0.05):
        s = key.fileobj
        try:
            chunk = s.recv(4096)
        except OSError:
            chunk = b""
        if chunk:
            conns[s]["data"] += chunk
            head = conns[s]["data"]
            if b"\r\n" in head and head.startswith(b"HTTP/1.1 "):
                status = head[9:12].decode()
                stats["answers"][status] = stats["answers"].get(status, 0) + 1
                conns[s]["data"] = b"\x00"  # count each connection's answer once
            continue
        open_one(drop(s))  # closed by the server: straight back in
    stats["max_held"] = max(stats["max_held"], len(conns))
    while len(conns) < len(wanted) and not stopping:
        if not open_one(len([c for c in conns.values() if c["slow"]]) < slow_n):
            break

json.dump(stats, stats_out)
stats_out.close()
