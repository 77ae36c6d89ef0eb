#!/usr/bin/env bash
# kill -9 while a post is being published, on both sides of the moment it
# reaches the platform: after a restart the journal says unknown, find()
# settles it (sent again when absent, marked published when there), and once
# the daemon reports nothing pending, running or unknown the post exists
# exactly once.
source "$(dirname "$0")/lib/daemon_harness.sh" "$@"

# on_platform NAME: how many times slowbox (the "platform") holds the post.
on_platform() {
  if [[ -f $T/slowbox.txt ]]; then grep -c "post $1" "$T/slowbox.txt" || true; else echo 0; fi
}

run_case() {  # run_case NAME BEFORE_MS AFTER_MS ATTEMPT_OUTCOMES
  local name=$1 before=$2 after=$3 outcomes=$4
  rm -f "$T/slowbox.txt" "$T/calendars/"*.yaml
  rm -rf "$T/state" && mkdir -p "$T/state"
  write_config "  slowbox/test:
    settings: {path: $T/slowbox.txt, delay_before_ms: $before, delay_after_ms: $after}"
  # Due now: it goes out as soon as heraldd has started.
  write_calendar slow <<YAML
calendar: slow-$name
time_zone: UTC
targets: [slowbox/test]
campaigns:
  - id: c
    goal: retention
    posts:
      - id: p
        at: $(utc_in 0)
        text: post $name
YAML
  start_daemon
  # Kill inside the delay: before the write (case before) or after it (case after).
  if [[ $after -gt 0 ]]; then
    wait_for 15 '[[ $(on_platform "$name") -ge 1 ]]' || fail "$name: slowbox never wrote"
  else
    wait_for 15 '[[ $(job p "j[\"state\"]") == running ]]' || fail "$name: no attempt started"
  fi
  kill_daemon
  write_config "  slowbox/test:
    settings: {path: $T/slowbox.txt}"
  start_daemon
  wait_for 15 settled || fail "$name: did not settle after the restart: $(api /v1/status)"
  [[ $(job p 'j["state"]') == published ]] || fail "$name: $(job p j)"
  [[ $(job p '",".join(a["outcome"] for a in j["attempt_history"])') == "$outcomes" ]] ||
    fail "$name: attempts $(job p j)"
  stop_daemon
  [[ $(on_platform "$name") -eq 1 ]] || fail "$name: published $(on_platform "$name") times"
  mv "$T/heraldd.log" "$T/heraldd.log.$name"
}

# slowbox holds the request 10 s on one side of its write: the kill comes as
# soon as the test sees that side, well inside the window even on a loaded
# machine (the attempt history after the restart shows which side it was).
# Killed before the write: not on the platform, so sent again.
run_case before 10000 0 "interrupted,published"
# Killed after it: found by reconciliation, not sent again.
run_case after 0 10000 "interrupted"
echo ok
