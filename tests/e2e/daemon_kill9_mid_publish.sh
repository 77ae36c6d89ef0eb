#!/usr/bin/env bash
# kill -9 while a post is being published, on both sides of the moment it
# reaches the platform: after a restart the journal says unknown, find()
# settles it, and each post exists exactly once.
source "$(dirname "$0")/lib/daemon_harness.sh" "$@"

run_case() {  # run_case NAME BEFORE_MS AFTER_MS EXPECTED_RECONCILIATION
  local name=$1 before=$2 after=$3 expect=$4
  rm -f "$T/slowbox.txt" "$T/calendars/"*.yaml
  rm -rf "$T/state" && mkdir -p "$T/state"
  write_config "  slowbox/test:
    settings: {path: $T/slowbox.txt, delay_before_ms: $before, delay_after_ms: $after}"
  write_calendar slow <<YAML
calendar: slow-$name
time_zone: UTC
targets: [slowbox/test]
campaigns:
  - id: c
    goal: retention
    posts:
      - id: p
        at: $(utc_in 2)
        text: post $name
YAML
  start_daemon
  # Kill inside the delay: before the write (case before) or after it (case after).
  if [[ $after -gt 0 ]]; then
    wait_for 15 "grep -q 'slowbox wrote' '$T/heraldd.log'" || fail "$name: slowbox never wrote"
  else
    wait_for 15 "grep -q 'attempt 1 started' '$T/heraldd.log'" || fail "$name: no attempt started"
  fi
  grep -q "published .* on slowbox/test" "$T/heraldd.log" && fail "$name: published before the kill"
  kill_daemon
  write_config "  slowbox/test:
    settings: {path: $T/slowbox.txt}"
  start_daemon
  wait_for 15 "grep -q '$expect' '$T/heraldd.log'" || fail "$name: no '$expect' after restart"
  wait_for 15 "[[ -f '$T/slowbox.txt' ]] && [[ \$(grep -c 'post $name' '$T/slowbox.txt') -ge 1 ]]" \
    || fail "$name: the post never reached the platform"
  sleep 1
  stop_daemon
  local n
  n=$(grep -c "post $name" "$T/slowbox.txt")
  [[ $n -eq 1 ]] || fail "$name: published $n times"
  mv "$T/heraldd.log" "$T/heraldd.log.$name"
}

run_case before 3000 0 "not on the platform, publishing again"
run_case after 0 3000 "it was published as"
echo ok
