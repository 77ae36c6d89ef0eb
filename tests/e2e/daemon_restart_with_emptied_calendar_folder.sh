#!/usr/bin/env bash
# A calendar folder that held calendars and is empty at the next start (a disk
# not mounted yet leaves an empty mount point) cancels nothing: its posts stay
# scheduled and go out when due, and the load says why.
source "$(dirname "$0")/lib/daemon_harness.sh" "$@"
write_one_post_calendar only "$(utc_in 3600)" "kept through an empty folder"
start_daemon
stop_daemon
mv "$T/calendars/only.yaml" "$T/only.yaml.away"
OFFSET_MS=3600000 start_daemon  # an hour later: the post is due at once
last_load '"\n".join(d["about"] + " " + d["text"] for d in j["diagnostics"])' |
  grep -q "^path .*: warning: this folder held calendars and now holds none" ||
  fail "the emptied folder was not reported: $(last_load j)"
[[ $(last_load 'j["diff"]["cancelled"]') == 0 ]] || fail "the emptied folder's post was cancelled"
wait_for 15 settled || fail "the post did not settle: $(api /v1/status)"
[[ $(job p 'j["state"]') == published ]] || fail "the post did not go out: $(job p j)"
stop_daemon
[[ $(published "kept through an empty folder") -eq 1 ]] || fail "published more than once"
echo ok
