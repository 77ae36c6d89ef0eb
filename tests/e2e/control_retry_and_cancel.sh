# POST /v1/jobs/ID/cancel, /retry, /publish-now, /resolve: state rules and effects.
source "$(dirname "$0")/lib/control_harness.sh"
write_calendar news 30 60
start_daemon
ids=($(json '" ".join(x["id"] for x in j["jobs"])' "$(ctl --json jobs --state pending)"))
pending=$(json 'j["jobs"]["pending"]' "$(body "$(api GET /v1/status)")")
r=$(api POST "/v1/jobs/${ids[0]}/cancel" -d '{"reason":"wrong photo"}'); expect_status 200 "$r"
[[ $(json 'j["state"]' "$(body "$r")") == cancelled ]] || fail "cancel: $r"
# The status counts include a change as soon as its call has answered.
r=$(api GET /v1/status)
[[ $(json 'j["jobs"]["cancelled"]' "$(body "$r")") == 1 ]] || fail "status after cancel: $r"
[[ $(json 'j["jobs"]["pending"]' "$(body "$r")") == $((pending - 1)) ]] || fail "pending: $r"
expect_status 409 "$(api POST "/v1/jobs/${ids[0]}/cancel")"
r=$(api POST "/v1/jobs/${ids[0]}/retry"); expect_status 200 "$r"
[[ $(json 'j["state"]' "$(body "$r")") == pending ]] || fail "retry: $r"
wait_for "the retried post" grep -q post-1 "$OUTBOX"
expect_status 409 "$(api POST "/v1/jobs/${ids[0]}/retry")"
expect_status 409 "$(api POST "/v1/jobs/${ids[0]}/resolve" -d '{"outcome":"retry"}')"
expect_status 400 "$(api POST "/v1/jobs/${ids[1]}/resolve" -d '{"outcome":"maybe"}')"
grep -q 'is now pending' <<<"$(ctl publish-now "${ids[1]}")" || fail "publish-now"
wait_for "the post published now" grep -q post-2 "$OUTBOX"
expect_status 404 "$(api POST /v1/jobs/nope/retry)"
echo PASS
