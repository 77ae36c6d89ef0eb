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
echo PASS
