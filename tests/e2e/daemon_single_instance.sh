#!/usr/bin/env bash
# A second heraldd on the same state directory is refused, and says by whom.
source "$(dirname "$0")/lib/daemon_harness.sh" "$@"
start_daemon
rc=0
out=$("$HERALDD" --config "$T/herald.yaml" 2>&1) || rc=$?
[[ $rc -ne 0 ]] || fail "the second heraldd started"
grep -q "$DAEMON_PID" <<<"$out" || fail "the refusal does not name the running pid: $out"
stop_daemon
echo ok
