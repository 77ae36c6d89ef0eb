# The audit's control-socket body attacks: nothing a request sends is
# silently ignored. A transfer or content coding the server does not decode,
# a body where none is read, a pause without its scope, an unknown or
# repeated field, a query on an endpoint that reads none: each is refused
# with a JSON error and nothing is paused. Pausing what does not exist is a
# 404; Expect: 100-continue gets its 100 Continue; heraldctl pause without a
# scope is a usage error and `heraldctl pause all` says what it did. The
# requests themselves are sent by lib/control_body_attacks.py.
#   security_control_bodies.sh BUILD_DIR
source "$(dirname "$0")/lib/control_harness.sh"
write_calendar news 60
start_daemon
# The requests, byte for byte (lib/control_body_attacks.py: one process).
python3 "$(dirname "$0")/lib/control_body_attacks.py" "$SOCK" || fail "the body attacks above"
nothing_paused() {
  local s; s=$(api GET /v1/status)
  [[ $(json 'len(j["paused"])' "$(body "$s")") == 0 ]] || fail "$1 paused something: $(body "$s")"
}

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
