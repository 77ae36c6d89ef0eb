# Shared harness for the control socket's end-to-end scripts (sourced).
#   bash tests/e2e/control_x.sh BUILD_DIR
# (daemon_harness.sh beside it is the core tests' harness; this one adds the
# control socket, curl and heraldctl.)
# Makes a temporary state dir, config and calendar for the outbox plugin,
# starts the real heraldd, waits until its socket answers, and always stops it
# on exit. Helpers: api (curl --unix-socket), ctl (heraldctl), json, fail.
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/json_eval.sh"
source "$(dirname "${BASH_SOURCE[0]}")/poll.sh"
BUILD_DIR=$(cd "${1:?usage: $0 BUILD_DIR}" && pwd)
HERALDD=$BUILD_DIR/daemon/heraldd
HERALDCTL=$BUILD_DIR/daemon/ctl/heraldctl
PLUGINS=$BUILD_DIR/plugins
WORK=$(mktemp -d /tmp/herald-e2e-XXXXXX)
SOCK=$WORK/run/herald.sock
OUTBOX=$WORK/outbox.jsonl
DAEMON_PID=
export HERALD_SOCKET=$SOCK
stop_daemon() {
  if [[ -n $DAEMON_PID ]]; then
    kill "$DAEMON_PID" 2>/dev/null || true
    wait "$DAEMON_PID" 2>/dev/null || true
    DAEMON_PID=
  fi
}
cleanup() { stop_daemon; rm -rf "$WORK"; }
trap cleanup EXIT
fail() {
  echo "FAIL: $*" >&2
  [[ -f $WORK/heraldd.log ]] && tail -20 "$WORK/heraldd.log" >&2
  exit 1
}
[[ -x $HERALDD ]] || fail "no heraldd at $HERALDD"
[[ -f $PLUGINS/outbox.so ]] || fail "no outbox.so in $PLUGINS"
mkdir -p "$WORK/state" "$WORK/calendars" "$WORK/run"
chmod 700 "$WORK/run"

# write_calendar NAME MINUTES_FROM_NOW...: one post per offset, due then
# (negative offsets are late but within the grace, so they go out at once).
write_calendar() {
  local name=$1; shift
  {
    echo "calendar: $name"
    echo "time_zone: UTC"
    echo "targets: [outbox/local]"
    echo "late: publish within 2h"
    echo "campaigns:"
    echo "  - id: $name-campaign"
    echo "    goal: retention"
    echo "    posts:"
    local i=0
    for m in "$@"; do
      i=$((i + 1))
      echo "      - id: post-$i"
      echo "        at: $(date -u -d "$m minutes" '+%Y-%m-%d %H:%M')"
      echo "        text: Post $i of $name."
    done
  } >"$WORK/calendars/$name.yaml"
}

write_config() {
  cat >"$WORK/herald.yaml" <<YAML
calendar_dirs: [$WORK/calendars]
plugin_dirs: [$PLUGINS]
state_dir: $WORK/state
control:
  socket: $SOCK
  admins:
    users: [${CONTROL_ADMIN:-$(id -un)}]
log_level: info
retry: {base_delay: 1s, max_delay: 2s, max_attempts: 2, jitter: none}
accounts:
  outbox/local:
    settings:
      path: $OUTBOX
YAML
}

start_daemon() {
  [[ -f $WORK/herald.yaml ]] || write_config
  "$HERALDD" --config "$WORK/herald.yaml" >"$WORK/heraldd.log" 2>&1 &
  DAEMON_PID=$!
  poll 30 answering || fail "the control socket never answered"
}
answering() {
  kill -0 "$DAEMON_PID" 2>/dev/null || fail "heraldd exited"
  [[ -S $SOCK ]] && curl -sf --unix-socket "$SOCK" http://herald/v1/status >/dev/null 2>&1
}

# api METHOD PATH [curl args...]: prints the body, then the HTTP status on the last line.
api() { local m=$1 p=$2; shift 2; curl -sS --unix-socket "$SOCK" -X "$m" -w '\n%{http_code}' "http://herald$p" "$@"; }
expect_status() { [[ $(tail -n1 <<<"$2") == "$1" ]] || fail "expected HTTP $1, got: $2"; }
body() { sed '$d' <<<"$1"; }
# json EXPR TEXT: a Python expression over the JSON document `j`.
json() { json_eval "$@"; }
ctl() { "$HERALDCTL" "$@"; }
# wait_for DESCRIPTION COMMAND...: retries the command for up to 20 s.
wait_for() {
  local what=$1; shift
  poll 20 quietly "$@" || fail "timed out waiting for $what"
}
quietly() { "$@" >/dev/null 2>&1; }
