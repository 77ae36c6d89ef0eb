# POST /v1/pause and /v1/resume: a paused account publishes nothing until resumed.
source "$(dirname "$0")/lib/control_harness.sh"
write_calendar news 30
start_daemon
grep -q 'paused account outbox/local' <<<"$(ctl pause account outbox/local --reason "holiday")" || fail pause
r=$(api GET /v1/accounts)
[[ $(json 'j["accounts"][0]["state"]' "$(body "$r")") == paused ]] || fail "accounts: $r"
id=$(json 'j["jobs"][0]["id"]' "$(ctl --json jobs --state pending)")
ctl publish-now "$id" >/dev/null || fail "publish-now"
r=$(api GET /v1/status)
[[ $(json 'j["paused"][0]["reason"]' "$(body "$r")") == holiday ]] || fail "status: $r"
[[ ! -s $OUTBOX ]] || fail "published while paused"
# A pause survives a kill -9 and the restart after it.
kill -9 "$DAEMON_PID"; wait "$DAEMON_PID" 2>/dev/null || true; DAEMON_PID=
start_daemon
r=$(api GET /v1/status)
[[ $(json 'j["paused"][0]["reason"]' "$(body "$r")") == holiday ]] || fail "status after kill -9: $r"
[[ $(json 'j["paused"][0]["cause"]' "$(body "$r")") == admin ]] || fail "cause after kill -9: $r"
grep -q 'account outbox/local is paused (admin' "$WORK/heraldd.log" || fail "the restart did not say it is paused"
[[ ! -s $OUTBOX ]] || fail "published after the restart while paused"
r=$(api POST /v1/resume -d '{"scope":"account","name":"outbox/local"}'); expect_status 200 "$r"
# Status serves a kept body while nothing changed: a resume must show at once.
r=$(api GET /v1/status)
[[ $(json 'len(j["paused"])' "$(body "$r")") == 0 ]] || fail "status after resume: $r"
wait_for "the post after resume" grep -q post-1 "$OUTBOX"
expect_status 404 "$(api POST /v1/resume -d '{"scope":"account","name":"outbox/local"}')"
r=$(api POST /v1/pause -d '{"scope":"all"}'); expect_status 200 "$r"
r=$(api POST /v1/resume -d '{"scope":"all"}'); expect_status 200 "$r"
set +e; ctl resume campaign nothing-paused >/dev/null 2>&1; rc=$?; set -e
[[ $rc == 1 ]] || fail "resume of an unpaused scope: exit $rc"
echo PASS
