# The binary prints its URL first, answers, and exits 0 on SIGTERM.
source "$(dirname "$0")/lib/sandbox_harness.sh"
start_sandbox
[[ $URL =~ ^http://127\.0\.0\.1:[0-9]+/$ ]] || fail "bad URL line: $URL"
out=$(req GET /_sandbox/health); expect_status 200 "$out"
kill -TERM "$SANDBOX_PID"; wait "$SANDBOX_PID"; rc=$?; SANDBOX_PID=
[[ $rc == 0 ]] || fail "exit status $rc"
echo PASS
