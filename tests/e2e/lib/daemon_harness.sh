# Shared harness for end-to-end tests of the real heraldd (mold-style: each
# test is one small script named after the behaviour it checks).
#
#   source "$(dirname "$0")/lib/daemon_harness.sh" HERALDD PLUGIN_DIR [TEST_PLUGIN_DIR]
#
# Gives a fresh folder $T with:
#   $T/calendars   the calendar directory (write calendars with write_calendar)
#   $T/state       the state directory (journal)
#   $T/outbox.jsonl  what the outbox account "published"
#   $T/herald.yaml the configuration (account outbox/local -> $T/outbox.jsonl)
#   $T/heraldd.log the daemon's log
# and start_daemon / stop_daemon / kill_daemon, wait_for, utc_in SECONDS, and
# the control API's view: api PATH, status EXPR, job POST EXPR, settled.
# OFFSET_MS=N start_daemon starts heraldd on a clock N ms ahead (the test-only
# HERALD_TEST_CLOCK_OFFSET_MS, docs/operations.md): "an hour later" at once.
# The daemon is always killed when the test exits.
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/json_eval.sh"
source "$(dirname "${BASH_SOURCE[0]}")/poll.sh"

HERALDD=$1
PLUGIN_DIR=$2
TEST_PLUGIN_DIR=${3:-$2}
T=$(mktemp -d "${TMPDIR:-/tmp}/herald-e2e.XXXXXX")
mkdir -p "$T/calendars" "$T/state"
chmod 700 "$T"
DAEMON_PID=""

SANDBOX_PID=""
cleanup() {
  if [[ -n $SANDBOX_PID ]]; then kill "$SANDBOX_PID" 2>/dev/null || true; wait "$SANDBOX_PID" 2>/dev/null || true; fi
  if [[ -n $DAEMON_PID ]] && kill -0 "$DAEMON_PID" 2>/dev/null; then kill -9 "$DAEMON_PID" 2>/dev/null || true; fi
  if [[ ${KEEP_T:-0} == 1 ]]; then echo "kept $T"; else rm -rf "$T"; fi
}
trap cleanup EXIT

fail() {
  echo "FAIL: $*"
  echo "--- heraldd.log (last 40 lines)"; tail -n 40 "$T/heraldd.log" 2>/dev/null || true
  exit 1
}

# write_config [extra YAML appended at top level]
write_config() {
  cat >"$T/herald.yaml" <<YAML
calendar_dirs: [$T/calendars]
state_dir: $T/state
plugin_dirs: [$PLUGIN_DIR, $TEST_PLUGIN_DIR]
log_level: debug
control:
  socket: $T/herald.sock
accounts:
  outbox/local:
    settings: {path: $T/outbox.jsonl}
${1:-}
YAML
}
write_config

# utc_in SECONDS: a UTC wall-clock time that many seconds from now ("YYYY-MM-DD HH:MM:SS").
utc_in() { TZ=UTC date -d "@$(( $(date +%s) + $1 ))" '+%Y-%m-%d %H:%M:%S'; }

# write_calendar NAME < yaml
write_calendar() { cat >"$T/calendars/$1.yaml.tmp" && mv "$T/calendars/$1.yaml.tmp" "$T/calendars/$1.yaml"; }

# write_one_post_calendar NAME AT TEXT: calendar NAME with one post to outbox/local.
write_one_post_calendar() {
  write_calendar "$1" <<YAML
calendar: $1
time_zone: UTC
targets: [outbox/local]
campaigns:
  - id: c
    goal: retention
    posts:
      - {id: p, at: "$2", text: $3}
YAML
}

# start_daemon: starts heraldd and waits until its control socket answers
# (it listens once start-up, recovery and the first load are done).
start_daemon() {
  HERALD_TEST_CLOCK_OFFSET_MS=${OFFSET_MS:-0} "$HERALDD" --config "$T/herald.yaml" "$@" \
    >>"$T/heraldd.log" 2>&1 &
  DAEMON_PID=$!
  wait_for 30 'kill -0 "$DAEMON_PID" 2>/dev/null || fail "heraldd exited"; api /v1/status >/dev/null 2>&1' ||
    fail "heraldd did not become ready"
}

# stop_daemon: SIGTERM, then checks the exit status is 0.
stop_daemon() {
  kill -TERM "$DAEMON_PID"
  local rc=0
  wait "$DAEMON_PID" || rc=$?
  DAEMON_PID=""
  [[ $rc -eq 0 ]] || fail "heraldd exited $rc after SIGTERM"
}

kill_daemon() {
  kill -9 "$DAEMON_PID" 2>/dev/null || true
  wait "$DAEMON_PID" 2>/dev/null || true
  DAEMON_PID=""
}

# start_sandbox SANDBOX_BINARY CONFIG [args...]: the real herald-sandbox on a
# free port, stopped when the test exits; sets URL (no trailing slash).
start_sandbox() {
  local bin=$1 config=$2; shift 2
  "$bin" --config "$config" --listen 127.0.0.1:0 "$@" >"$T/sandbox.out" 2>&1 &
  SANDBOX_PID=$!
  wait_for 30 "grep -q 'listening on' '$T/sandbox.out'" || fail "the sandbox did not start"
  URL=$(grep -o 'http://127.0.0.1:[0-9]*' "$T/sandbox.out" | head -1)
}

# stop_sandbox: stops it now (its --log file stays on disk).
stop_sandbox() {
  if [[ -n $SANDBOX_PID ]]; then kill "$SANDBOX_PID" 2>/dev/null || true; wait "$SANDBOX_PID" 2>/dev/null || true; fi
  SANDBOX_PID=""
}

# wait_for SECONDS COMMAND: polls the shell command COMMAND until it
# succeeds, for at most SECONDS.
wait_for() { poll "$1" eval "$2"; }

# api PATH [curl args...]: the control API's JSON answer; fails on an HTTP error.
api() { local p=$1; shift; curl -sS --fail-with-body --unix-socket "${SOCK:-$T/herald.sock}" "http://herald$p" "$@"; }
# status EXPR: a Python expression over GET /v1/status (`j`).
status() { json_eval "$1" "$(api /v1/status)"; }
# job POST EXPR: a Python expression over GET /v1/jobs/ID of post POST's job.
job() {
  local id
  id=$(json_eval "[x['id'] for x in j['jobs'] if x['post'] == '$1'][0]" "$(api '/v1/jobs?limit=1000')") &&
    json_eval "$2" "$(api "/v1/jobs/$id")"
}
# settled: the daemon reports nothing pending, running or unknown; what was
# to go out has gone out (or failed), and nothing is on its way again.
settled() {
  [[ $(status 'j["jobs"]["pending"] + j["jobs"]["running"] + j["jobs"]["unknown"]') == 0 ]]
}
# last_load EXPR: a Python expression over the last calendar load (`j`):
# its diff, errors and diagnostics (about, file, line, col, message, text).
last_load() { status "(lambda j: $1)(j['calendars']['last_load'])"; }

# published JOB_TEXT: how many outbox lines carry that exact text.
published() {
  [[ -f $T/outbox.jsonl ]] || { echo 0; return; }
  grep -c -F "\"text\":\"$1\"" "$T/outbox.jsonl" || true
}
