# POST /v1/reload returns the load result with errors and their positions;
# heraldctl reload exits 1 then, and the last good calendar stays in force.
source "$(dirname "$0")/lib/control_harness.sh"
write_calendar news 30
start_daemon
r=$(api POST /v1/reload); expect_status 200 "$r"
[[ $(json 'j["ok"]' "$(body "$r")") == True ]] || fail "clean reload: $r"
printf 'calendar: broken\ntime_zone: UTC\ncampaigns: [\n' >"$WORK/calendars/broken.yaml"
r=$(api POST /v1/reload); expect_status 200 "$r"
[[ $(json 'j["ok"]' "$(body "$r")") == False ]] || fail "broken reload: $r"
[[ $(json 'j["diagnostics"][0]["file"].endswith("broken.yaml") and j["diagnostics"][0]["line"] > 0' "$(body "$r")") == True ]] || fail "positions: $r"
set +e; out=$(ctl reload 2>&1); rc=$?; set -e
[[ $rc == 1 ]] || fail "heraldctl reload exit $rc"
grep -q 'broken.yaml:' <<<"$out" || fail "heraldctl reload output: $out"
[[ $(json 'j["jobs"]["pending"]' "$(body "$(api GET /v1/status)")") == 1 ]] || fail "the good calendar was lost"
grep -q '^herald_reloads_total{result="errors"} [1-9]' <<<"$(api GET /metrics)" || fail "reload metric"
echo PASS
