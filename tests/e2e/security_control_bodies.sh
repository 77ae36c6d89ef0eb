# The audit's control-socket body attacks: nothing a request sends is
# silently ignored. A transfer or content coding the server does not decode,
# a body where none is read, a pause without its scope, an unknown or
# repeated field, a query on an endpoint that reads none: each is refused
# with a JSON error and nothing is paused. Pausing what does not exist is a
# 404; Expect: 100-continue gets its 100 Continue; heraldctl pause without a
# scope is a usage error and `heraldctl pause all` says what it did.
#   security_control_bodies.sh BUILD_DIR
source "$(dirname "$0")/lib/control_harness.sh"
write_calendar news 60
start_daemon
code_of() { json 'j["error"]["code"]' "$(body "$1")"; }
nothing_paused() {
  local s; s=$(api GET /v1/status)
  [[ $(json 'len(j["paused"])' "$(body "$s")") == 0 ]] || fail "$1 paused something: $(body "$s")"
}
refused() {  # STATUS CODE WHAT curl-args...: the answer, its JSON error code, nothing paused
  local status=$1 code=$2 what=$3; shift 3
  local r; r=$(api "$@")
  expect_status "$status" "$r"
  [[ $(code_of "$r") == "$code" ]] || fail "$what: error code $(code_of "$r"), not $code: $r"
  nothing_paused "$what"
}
gz=$WORK/pause.gz
printf '{"scope":"all"}' | gzip -c >"$gz"

# Codings the server does not decode.
refused 400 unsupported_transfer_encoding "Transfer-Encoding: gzip" \
  POST /v1/pause -H 'Transfer-Encoding: gzip' -H 'Content-Type: application/json' --data-binary @"$gz"
refused 400 unsupported_transfer_encoding "Transfer-Encoding: gzip, chunked" \
  POST /v1/pause -H 'Transfer-Encoding: gzip, chunked' --data-binary @"$gz"
refused 415 unsupported_content_encoding "Content-Encoding: gzip" \
  POST /v1/pause -H 'Content-Encoding: gzip' -H 'Content-Type: application/json' --data-binary @"$gz"
refused 415 unsupported_content_encoding "Content-Encoding: br" \
  POST /v1/pause -H 'Content-Encoding: br' -d '{"scope":"all"}'
refused 415 unsupported_media_type "Content-Type: text/plain" \
  POST /v1/pause -H 'Content-Type: text/plain' -d '{"scope":"all"}'
refused 415 unsupported_media_type "charset=latin1" \
  POST /v1/pause -H 'Content-Type: application/json; charset=latin1' -d '{"scope":"all"}'
refused 417 expectation_failed "Expect: something" \
  POST /v1/pause -H 'Expect: something-else' -d '{"scope":"all"}'

# Bodies that would have meant "pause everything".
refused 400 invalid_argument "an empty body" POST /v1/pause
refused 400 invalid_argument "{}" POST /v1/pause -d '{}'
refused 400 invalid_argument "a body without scope" POST /v1/pause -d '{"name":"outbox/local"}'
refused 400 invalid_argument "a misspelt scope key" POST /v1/pause -d '{"scop":"account","name":"outbox/local"}'
refused 400 invalid_argument "an unknown field" POST /v1/pause -d '{"scope":"account","name":"outbox/local","until":"monday"}'
refused 400 invalid_argument "a repeated field" POST /v1/pause -d '{"scope":"account","name":"outbox/local","scope":"all"}'
refused 400 invalid_argument "the scope in the query" POST '/v1/pause?scope=all'
refused 400 invalid_argument "scope null" POST /v1/pause -d '{"scope":null}'
# A body or query where the endpoint reads none.
refused 400 invalid_argument "GET with a body" GET /v1/status -d '{"scope":"all"}'
refused 400 invalid_argument "a repeated query key" GET '/v1/jobs?state=pending&state=failed'
refused 400 invalid_argument "a query on status" GET '/v1/status?verbose=1'
refused 400 invalid_argument "reload with a body" POST /v1/reload -d '{"path":"/etc"}'
refused 400 invalid_argument "resume with a reason" POST /v1/resume -d '{"scope":"all","reason":"x"}'
id=$(json 'j["jobs"][0]["id"]' "$(body "$(api GET '/v1/jobs?state=pending')")")
refused 400 invalid_argument "publish-now with a body" POST "/v1/jobs/$id/publish-now" -d '{"at":"tomorrow"}'
[[ $(json 'j["state"]' "$(body "$(api GET "/v1/jobs/$id")")") == pending ]] || fail "the refused publish-now moved the job"

# What does not exist is not paused.
refused 404 not_found "an unknown account" POST /v1/pause -d '{"scope":"account","name":"outbox/nobody"}'
refused 404 not_found "an unknown platform" POST /v1/pause -d '{"scope":"platform","name":"myspace"}'
refused 404 not_found "an unknown campaign" POST /v1/pause -d '{"scope":"campaign","name":"no-such-campaign"}'
r=$(api POST /v1/pause -d '{"scope":"campaign","name":"news-campaign"}'); expect_status 200 "$r"
expect_status 200 "$(api POST /v1/resume -d '{"scope":"campaign","name":"news-campaign"}')"
r=$(api POST /v1/pause -d '{"scope":"platform","name":"outbox"}'); expect_status 200 "$r"
expect_status 200 "$(api POST /v1/resume -d '{"scope":"platform","name":"outbox"}')"
nothing_paused "the pauses above, resumed"

# A chunked body is decoded, and Expect: 100-continue is answered before it.
r=$(api POST /v1/pause -H 'Transfer-Encoding: chunked' -d '{"scope":"account","name":"outbox/local"}')
expect_status 200 "$r"
expect_status 200 "$(api POST /v1/resume -d '{"scope":"account","name":"outbox/local"}')"
python3 - "$SOCK" <<'PY' || fail "Expect: 100-continue"
import socket, sys
body = b'{"scope":"account","name":"outbox/local","reason":"expect"}'
s = socket.socket(socket.AF_UNIX); s.connect(sys.argv[1]); s.settimeout(20)
s.sendall(b"POST /v1/pause HTTP/1.1\r\nHost: herald\r\nContent-Type: application/json\r\n"
          b"Expect: 100-continue\r\nContent-Length: %d\r\n\r\n" % len(body))
interim = s.recv(4096)
assert interim.startswith(b"HTTP/1.1 100 Continue\r\n\r\n"), interim
s.sendall(body)
got = b""
while b"\r\n\r\n" not in got or not got.rstrip().endswith(b"}"):
    chunk = s.recv(65536)
    if not chunk: break
    got += chunk
assert got.startswith(b"HTTP/1.1 200"), got
# Content-Length and Transfer-Encoding together (a smuggling shape) is refused.
t = socket.socket(socket.AF_UNIX); t.connect(sys.argv[1]); t.settimeout(20)
t.sendall(b"POST /v1/resume HTTP/1.1\r\nHost: herald\r\nContent-Length: 4\r\n"
          b"Transfer-Encoding: chunked\r\n\r\n0\r\n\r\n")
answer = t.recv(65536)
assert answer.startswith(b"HTTP/1.1 400"), answer
PY
expect_status 200 "$(api POST /v1/resume -d '{"scope":"account","name":"outbox/local"}')"
nothing_paused "the Expect pause, resumed"

# heraldctl: the scope is required, `all` is said in words.
set +e
ctl pause >"$WORK/out" 2>&1; rc=$?
set -e
[[ $rc == 2 ]] || fail "heraldctl pause without a scope exits $rc, not 2 (usage): $(cat "$WORK/out")"
grep -qi "SCOPE" "$WORK/out" || fail "no usage message: $(cat "$WORK/out")"
set +e; ctl pause account >"$WORK/out" 2>&1; rc=$?; set -e
[[ $rc == 2 ]] || fail "heraldctl pause account without a name exits $rc: $(cat "$WORK/out")"
set +e; ctl pause account outbox/nobody >"$WORK/out" 2>&1; rc=$?; set -e
[[ $rc == 1 ]] && grep -q "no account 'outbox/nobody'" "$WORK/out" || fail "pausing an unknown account: exit $rc: $(cat "$WORK/out")"
nothing_paused "heraldctl's refused pauses"
ctl pause all >"$WORK/out" || fail "heraldctl pause all"
grep -q "paused all: nothing is published on any account" "$WORK/out" || fail "pause all says: $(cat "$WORK/out")"
ctl resume all >/dev/null || fail "heraldctl resume all"
nothing_paused "resume all"
kill -0 "$DAEMON_PID" || fail "heraldd died"
echo PASS
