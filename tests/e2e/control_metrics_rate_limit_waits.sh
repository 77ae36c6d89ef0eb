# GET /metrics counts the waits a rate limit imposes: with a one-post burst,
# the second of two due posts is held back, reported as a "waiting" event and
# as herald_rate_limit_waits_total{platform="outbox",reason="rate_limit"}.
source "$(dirname "$0")/lib/control_harness.sh"
write_config
cat >>"$WORK/herald.yaml" <<YAML
    rate_limit: {rate: 1/hour, burst: 1}
YAML
write_calendar news -1 -1
start_daemon
wait_for "the first post" grep -q post- "$OUTBOX"
waits() {
  api GET /metrics | sed -n 's/^herald_rate_limit_waits_total{platform="outbox",reason="rate_limit"} //p'
}
wait_for "a rate-limit wait in /metrics" test -n "$(waits)"
[[ $(waits) -ge 1 ]] || fail "waits: $(waits)"
seconds=$(api GET /metrics |
  sed -n 's/^herald_rate_limit_wait_seconds_total{platform="outbox",reason="rate_limit"} //p')
awk -v s="$seconds" 'BEGIN { exit !(s > 60) }' ||
  fail "wait seconds: $seconds (one token an hour: the wait is minutes long)"
[[ $(grep -c post- "$OUTBOX") == 1 ]] || fail "the rate limit let both posts out"
r=$(api GET /v1/status)
[[ $(json 'j["jobs"]["pending"]' "$(body "$r")") == 1 ]] || fail "status: $r"
echo PASS
