#!/usr/bin/env bash
# The journal is the last good state: a post scheduled before a restart goes
# out by itself when it falls due even though, at the restart, its calendar
# no longer loads (the load's errors are reported with their positions).
source "$(dirname "$0")/lib/daemon_harness.sh" "$@"
write_one_post_calendar shop "$(utc_in 3600)" "kept through a broken restart"
start_daemon
stop_daemon
printf 'calendar: shop\ntime_zone: UTC\ntargets: [outbox/local]\ncampaigns:\n  - id: c\n    gaol: retention\n' \
  >"$T/calendars/shop.yaml"
# An hour later (the test-only clock offset): the post is due at once.
OFFSET_MS=3600000 start_daemon
[[ $(last_load 'j["applied"]') == False ]] || fail "the broken calendar was applied"
grep -q "shop.yaml:6:5: error: unknown key .gaol." <<<"$(last_load '"\n".join(d["text"] for d in j["diagnostics"])')" ||
  fail "the error was not reported: $(last_load j)"
wait_for 15 settled || fail "the post did not settle: $(api /v1/status)"
[[ $(job p 'j["state"]') == published ]] || fail "the post did not go out: $(job p j)"
stop_daemon
[[ $(published "kept through a broken restart") -eq 1 ]] || fail "published more than once"
echo ok
