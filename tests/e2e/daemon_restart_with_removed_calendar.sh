#!/usr/bin/env bash
# A calendar file removed while heraldd was stopped has its pending posts
# cancelled; but while the calendar folder itself is missing (an unmounted
# disk, say) nothing is cancelled for being absent, and when the folder comes
# back heraldd notices it by itself.
source "$(dirname "$0")/lib/daemon_harness.sh" "$@"
at=$(utc_in 14)
for name in gone stays; do write_one_post_calendar $name "$at" "from $name"; done
start_daemon
stop_daemon

# The folder is missing at start: both calendars keep their posts.
rm "$T/calendars/gone.yaml"
mv "$T/calendars" "$T/calendars.away"
start_daemon
grep -q "calendars: error: no such file or folder" "$T/heraldd.log" || fail "the missing folder was not logged"
grep -q " 1 cancelled" "$T/heraldd.log" && fail "a calendar was cancelled while its folder was missing"

# The folder comes back, without gone.yaml, while heraldd runs: it notices,
# cancels the removed calendar's post, and the other goes out.
mv "$T/calendars.away" "$T/calendars"
wait_for 10 'grep -q "0 added, 0 updated, 1 cancelled" "$T/heraldd.log"' ||
  fail "the removed calendar's post was not cancelled when the folder came back"
wait_for 30 '[[ $(published "from stays") -ge 1 ]]' || fail "the remaining calendar's post never went out"
sleep 1
stop_daemon
[[ $(published "from stays") -eq 1 ]] || fail "published more than once"
[[ $(published "from gone") -eq 0 ]] || fail "the removed calendar's post went out"
echo ok
