# A live socket is refused with a clear message; a stale one (its daemon was
# killed) is replaced at the next start.
source "$(dirname "$0")/lib/control_harness.sh"
start_daemon
FIRST=$DAEMON_PID
sed "s|state_dir: .*|state_dir: $WORK/state2|" "$WORK/herald.yaml" >"$WORK/second.yaml"
mkdir -p "$WORK/state2"
set +e; "$HERALDD" --config "$WORK/second.yaml" >"$WORK/second.log" 2>&1; rc=$?; set -e
[[ $rc != 0 ]] || fail "a second daemon took the live socket"
grep -q 'already listening on' "$WORK/second.log" || fail "no clear message: $(cat "$WORK/second.log")"
expect_status 200 "$(api GET /v1/status)"
kill -9 "$FIRST"; wait "$FIRST" 2>/dev/null || true; DAEMON_PID=
[[ -S $SOCK ]] || fail "the killed daemon's socket is gone (test needs it stale)"
set +e; ctl status >/dev/null 2>&1; rc=$?; set -e
[[ $rc == 3 ]] || fail "heraldctl on a stale socket: exit $rc"
start_daemon
expect_status 200 "$(api GET /v1/status)"
echo PASS
