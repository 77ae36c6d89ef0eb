"""The control socket's body attacks (tests/e2e/security_control_bodies.sh),
sent byte for byte as written, all from one process (a loaded machine starts
each process slowly, and a hundred curl + python pairs took minutes).

    python3 control_body_attacks.py SOCKET

Needs a running heraldd whose only account is outbox/local, with one pending
job of campaign news-campaign, and nothing paused. Prints one FAIL line per
problem on stderr and exits 1 when there is any.
"""
import gzip
import http.client
import json
import socket
import sys

SOCK = sys.argv[1]
JSON = "Content-Type: application/json"
problems = []


def connect():
    s = socket.socket(socket.AF_UNIX)
    s.settimeout(30)
    s.connect(SOCK)
    return s


def ask(method, path, headers=(), body=b"", chunked=False):
    """Sends one request; returns (status, the JSON body or None)."""
    head = [f"{method} {path} HTTP/1.1", "Host: herald", "Connection: close", *headers]
    if chunked:
        payload = (b"%x\r\n%s\r\n" % (len(body), body) if body else b"") + b"0\r\n\r\n"
    else:
        payload = body
        if body or method == "POST":
            head.append(f"Content-Length: {len(body)}")
    s = connect()
    s.sendall(("\r\n".join(head) + "\r\n\r\n").encode() + payload)
    r = http.client.HTTPResponse(s)
    r.begin()
    text = r.read()
    s.close()
    try:
        return r.status, json.loads(text)
    except ValueError:
        return r.status, None


def paused():
    status, j = ask("GET", "/v1/status")
    return j["paused"] if status == 200 else [f"GET /v1/status answered {status}"]


def refused(status, code, what, method, path, headers=(), body=b"", chunked=False):
    got, j = ask(method, path, headers, body, chunked)
    err = j.get("error", {}) if isinstance(j, dict) else {}
    if got != status or err.get("code") != code or not err.get("message"):
        problems.append(f"{what}: {got} {j}, expected {status} {code} with a message")
    if now := paused():
        problems.append(f"{what} paused something: {now}")


def ok(what, method, path, body):
    got, j = ask(method, path, [JSON], body.encode())
    if got != 200:
        problems.append(f"{what}: {got} {j}")


gz = gzip.compress(b'{"scope":"all"}')
# Codings the server does not decode: refused, never read as an empty body.
refused(400, "unsupported_transfer_encoding", "Transfer-Encoding: gzip",
        "POST", "/v1/pause", ["Transfer-Encoding: gzip", JSON], gz)
refused(400, "unsupported_transfer_encoding", "Transfer-Encoding: gzip, chunked",
        "POST", "/v1/pause", ["Transfer-Encoding: gzip, chunked", JSON], gz, chunked=True)
refused(415, "unsupported_content_encoding", "Content-Encoding: gzip",
        "POST", "/v1/pause", ["Content-Encoding: gzip", JSON], gz)
refused(415, "unsupported_content_encoding", "Content-Encoding: br",
        "POST", "/v1/pause", ["Content-Encoding: br", JSON], b'{"scope":"all"}')
refused(415, "unsupported_media_type", "Content-Type: text/plain",
        "POST", "/v1/pause", ["Content-Type: text/plain"], b'{"scope":"all"}')
refused(415, "unsupported_media_type", "charset=latin1",
        "POST", "/v1/pause", ["Content-Type: application/json; charset=latin1"],
        b'{"scope":"all"}')
refused(417, "expectation_failed", "Expect: something-else",
        "POST", "/v1/pause", ["Expect: something-else", JSON], b'{"scope":"all"}')

# Bodies that would have meant "pause everything".
for what, body in [("an empty body", b""), ("{}", b"{}"),
                   ("a body without scope", b'{"name":"outbox/local"}'),
                   ("a misspelt scope key", b'{"scop":"account","name":"outbox/local"}'),
                   ("an unknown field",
                    b'{"scope":"account","name":"outbox/local","until":"monday"}'),
                   ("a repeated field",
                    b'{"scope":"account","name":"outbox/local","scope":"all"}'),
                   ("scope null", b'{"scope":null}'),
                   ("scope empty", b'{"scope":""}'),
                   ("all with a name", b'{"scope":"all","name":"outbox/local"}'),
                   ("an account without its name", b'{"scope":"account"}'),
                   ("a body that is an array", b'[{"scope":"all"}]')]:
    refused(400, "invalid_argument", what, "POST", "/v1/pause", [JSON], body)
refused(400, "invalid_argument", "the scope in the query", "POST", "/v1/pause?scope=all", [JSON])
# A body or a query where the endpoint reads none.
refused(400, "invalid_argument", "GET with a body",
        "GET", "/v1/status", [JSON], b'{"scope":"all"}')
refused(400, "invalid_argument", "a repeated query key",
        "GET", "/v1/jobs?account=a&account=b")
refused(400, "invalid_argument", "a query on status", "GET", "/v1/status?verbose=1")
refused(400, "invalid_argument", "reload with a body",
        "POST", "/v1/reload", [JSON], b'{"path":"/etc"}')
refused(400, "invalid_argument", "resume with a reason",
        "POST", "/v1/resume", [JSON], b'{"scope":"all","reason":"x"}')
_, jobs = ask("GET", "/v1/jobs?state=pending")
job = jobs["jobs"][0]["id"]
refused(400, "invalid_argument", "publish-now with a body",
        "POST", f"/v1/jobs/{job}/publish-now", [JSON], b'{"at":"tomorrow"}')
_, detail = ask("GET", f"/v1/jobs/{job}")
if detail["state"] != "pending":
    problems.append(f"the refused publish-now moved the job to {detail['state']}")

# What does not exist is a 404; what does is paused, and resumed.
refused(404, "not_found", "an unknown account",
        "POST", "/v1/pause", [JSON], b'{"scope":"account","name":"outbox/nobody"}')
refused(404, "not_found", "an unknown platform",
        "POST", "/v1/pause", [JSON], b'{"scope":"platform","name":"myspace"}')
refused(404, "not_found", "an unknown campaign",
        "POST", "/v1/pause", [JSON], b'{"scope":"campaign","name":"no-such-campaign"}')
for scope, name in [("campaign", "news-campaign"), ("platform", "outbox"),
                    ("account", "outbox/local")]:
    body = json.dumps({"scope": scope, "name": name})
    ok(f"pausing the {scope} {name}", "POST", "/v1/pause", body)
    if len(paused()) != 1:
        problems.append(f"pausing the {scope} {name}: paused is {paused()}")
    ok(f"resuming the {scope} {name}", "POST", "/v1/resume", body)

# A chunked body is decoded.
got, j = ask("POST", "/v1/pause", [JSON, "Transfer-Encoding: chunked"],
             b'{"scope":"account","name":"outbox/local"}', chunked=True)
if got != 200 or len(paused()) != 1:
    problems.append(f"a chunked pause: {got} {j}, paused {paused()}")
ok("resume after the chunked pause", "POST", "/v1/resume",
   '{"scope":"account","name":"outbox/local"}')

# Expect: 100-continue gets its 100 Continue before the body is sent.
body = b'{"scope":"account","name":"outbox/local","reason":"expect"}'
s = connect()
s.sendall(b"POST /v1/pause HTTP/1.1\r\nHost: herald\r\nContent-Type: application/json\r\n"
          b"Expect: 100-continue\r\nConnection: close\r\nContent-Length: %d\r\n\r\n" % len(body))
interim = s.recv(4096)
if not interim.startswith(b"HTTP/1.1 100 Continue\r\n\r\n"):
    problems.append(f"Expect: 100-continue got {interim!r}")
else:
    s.sendall(body)
    r = http.client.HTTPResponse(s)
    r.begin()
    r.read()
    if r.status != 200:
        problems.append(f"the pause after 100 Continue answered {r.status}")
s.close()
ok("resume after the Expect pause", "POST", "/v1/resume",
   '{"scope":"account","name":"outbox/local"}')

# Content-Length and Transfer-Encoding together (a smuggling shape) is refused.
s = connect()
s.sendall(b"POST /v1/resume HTTP/1.1\r\nHost: herald\r\nContent-Length: 4\r\n"
          b"Transfer-Encoding: chunked\r\n\r\n0\r\n\r\n")
answer = s.recv(65536)
if not answer.startswith(b"HTTP/1.1 400"):
    problems.append(f"Content-Length with Transfer-Encoding: {answer!r}")
s.close()

if now := paused():
    problems.append(f"still paused at the end: {now}")
for p in problems:
    print("FAIL:", p, file=sys.stderr)
sys.exit(1 if problems else 0)
