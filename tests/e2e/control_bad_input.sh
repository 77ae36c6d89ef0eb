# Bad input is answered, never fatal: unknown paths and methods, invalid JSON,
# wrong types, oversized bodies and headers, malformed HTTP, slow clients.
source "$(dirname "$0")/lib/control_harness.sh"
start_daemon
expect_status 404 "$(api GET /v2/status)"
expect_status 405 "$(api DELETE /v1/status)"
expect_status 405 "$(api GET /v1/reload)"
r=$(api POST /v1/pause -d '{not json'); expect_status 400 "$r"
[[ $(json 'j["error"]["code"]' "$(body "$r")") == invalid_argument ]] || fail "$r"
expect_status 400 "$(api POST /v1/pause -d '[1,2]')"
expect_status 400 "$(api POST /v1/pause -d '{"scope":"account"}')"
expect_status 400 "$(api POST /v1/pause -d '{"scope":"galaxy","name":"x"}')"
expect_status 400 "$(api POST /v1/pause -d '{"scope":"account","name":7}')"
head -c 2000000 /dev/zero | tr '\0' 'a' >"$WORK/big"
expect_status 413 "$(api POST /v1/pause --data-binary @"$WORK/big")"
expect_status 431 "$(api GET /v1/status -H "X-Big: $(head -c 20000 /dev/zero | tr '\0' 'b')")"
python3 - "$SOCK" <<'PY' || fail "raw socket checks"
import socket, sys
def talk(data, wait=True):
    s = socket.socket(socket.AF_UNIX); s.connect(sys.argv[1]); s.settimeout(60)
    s.sendall(data)
    got = b""
    while wait:
        chunk = s.recv(65536)
        if not chunk: break
        got += chunk
    s.close(); return got
assert talk(b"NOT HTTP AT ALL\r\n\r\n").startswith(b"HTTP/1.1 400"), "malformed"
assert talk(b"GET /v1/status HTTP/1.1\r\nContent-Length: x\r\n\r\n").startswith(b"HTTP/1.1 400"), "bad length"
conns = [socket.socket(socket.AF_UNIX) for _ in range(300)]
for c in conns: c.connect(sys.argv[1])
# The cap answers the ones beyond it; the daemon stays up for the others.
for c in conns: c.close()
PY
expect_status 200 "$(api GET /v1/status)"
kill -0 "$DAEMON_PID" || fail "heraldd died"
echo PASS
