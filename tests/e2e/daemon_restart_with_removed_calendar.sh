#!/usr/bin/env bash
# A calendar file removed while heraldd was stopped has its pending posts
# cancelled; but while the calendar folder itself is missing (an unmounted
# disk, say) nothing is cancelled for being absent, and when the folder comes
# back heraldd notices it by itself.
source "$(dirname "$0")/lib/daemon_harness.sh" "$@"
at=$(utc_in 3600)
for name in gone stays; do write_one_post_calendar $name "$at" "from $name"; done
start_daemon
stop_daemon

# The folder is missing at start: both calendars keep their posts.
rm "$T/calendars/gone.yaml"
mv "$T/calendars" "$T/calendars.away"
start_daemon
last_load '"\n".join(d["about"] + " " + d["text"] for d in j["diagnostics"])' |
  grep -q "^path .*calendars: error: no such file or folder" ||
  fail "the missing folder was not reported: $(last_load j)"
[[ $(status 'j["jobs"]["pending"]') == 2 ]] || fail "a calendar was cancelled while its folder was missing"

# The folder comes back, without gone.yaml, while heraldd runs: it notices and
# cancels the removed calendar's post.
mv "$T/calendars.away" "$T/calendars"
wait_for 10 '[[ $(status "j[\"jobs\"][\"cancelled\"]") == 1 ]]' ||
  fail "the removed calendar's post was not cancelled when the folder came back: $(api /v1/status)"
[[ $(status 'j["jobs"]["pending"]') == 1 ]] || fail "the remaining post is not pending"
stop_daemon
# An hour later the other goes out, and only it.
OFFSET_MS=3600000 start_daemon
wait_for 15 settled || fail "the remaining post did not settle: $(api /v1/status)"
stop_daemon
[[ $(published "from stays") -eq 1 ]] || fail "the remaining post was published $(published "from stays") times"
[[ $(published "from gone") -eq 0 ]] || fail "the removed calendar's post went out"
echo ok
