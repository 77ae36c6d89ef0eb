# GET /v1/events streams job transitions as JSON lines (heraldctl watch).
source "$(dirname "$0")/lib/control_harness.sh"
write_calendar news 30
start_daemon
ctl watch --json >"$WORK/events" 2>&1 &
WATCH=$!
trap 'kill $WATCH 2>/dev/null || true; cleanup' EXIT
wait_for "the stream to open" grep -q hello "$WORK/events"
id=$(json 'j["jobs"][0]["id"]' "$(ctl --json jobs --state pending)")
ctl publish-now "$id" >/dev/null
wait_for "a published event" grep -q '"state":"published"' "$WORK/events"
grep -q '"state":"running"' "$WORK/events" || fail "no running event"
api POST /v1/reload >/dev/null
wait_for "a reload event" grep -q '"type":"reload"' "$WORK/events"
grep -q "$id" "$WORK/events" || fail "events lack the job id"
# When heraldd stops, watch says so and exits 3 (not 0, as if all were well).
stop_daemon
set +e; wait "$WATCH"; rc=$?; set -e
[[ $rc == 3 ]] || fail "watch exited $rc when heraldd stopped"
grep -q 'heraldd closed the event stream' "$WORK/events" || fail "watch did not say heraldd stopped"
# A word that is no command is named, with the usage exit code.
set +e; out=$(ctl bogus 2>&1); rc=$?; set -e
[[ $rc == 2 && $out == *"unknown command 'bogus'"* ]] || fail "heraldctl bogus: exit $rc: $out"
echo PASS
