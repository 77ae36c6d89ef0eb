#!/usr/bin/env bash
# The journal is the last good state: a post scheduled before a restart goes
# out even when, at the restart, its calendar no longer loads (the errors are
# logged with their positions).
source "$(dirname "$0")/lib/daemon_harness.sh" "$@"
write_one_post_calendar shop "$(utc_in 5)" "kept through a broken restart"
start_daemon
stop_daemon
printf 'calendar: shop\ntime_zone: UTC\ntargets: [outbox/local]\ncampaigns:\n  - id: c\n    gaol: retention\n' \
  >"$T/calendars/shop.yaml"
start_daemon
grep -q "shop.yaml:6:5: error: unknown key .gaol." "$T/heraldd.log" || fail "the error was not logged"
wait_for 15 '[[ $(published "kept through a broken restart") -ge 1 ]]' || fail "the post never went out"
stop_daemon
[[ $(published "kept through a broken restart") -eq 1 ]] || fail "published more than once"
echo ok
