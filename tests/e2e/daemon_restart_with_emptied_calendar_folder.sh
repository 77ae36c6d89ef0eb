#!/usr/bin/env bash
# A calendar folder that held calendars and is empty at the next start (a disk
# not mounted yet leaves an empty mount point) cancels nothing: its posts stay
# scheduled and go out, and the log says why.
source "$(dirname "$0")/lib/daemon_harness.sh" "$@"
write_one_post_calendar only "$(utc_in 8)" "kept through an empty folder"
start_daemon
stop_daemon
mv "$T/calendars/only.yaml" "$T/only.yaml.away"
start_daemon
grep -q "this folder held calendars and now holds none" "$T/heraldd.log" ||
  fail "the emptied folder was not reported"
grep -q " 1 cancelled" "$T/heraldd.log" && fail "the emptied folder's post was cancelled"
wait_for 30 '[[ $(published "kept through an empty folder") -ge 1 ]]' || fail "the post never went out"
stop_daemon
[[ $(published "kept through an empty folder") -eq 1 ]] || fail "published more than once"
echo ok
