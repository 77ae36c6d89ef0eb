# Shared harness for the attack scripts (tests/e2e/security_*.sh): the core
# tests' daemon harness, plus the control socket (api, json), a wait until
# every job has settled, and a small web server for staged media.
#
#   source "$(dirname "$0")/lib/security_harness.sh" HERALDD PLUGIN_DIR [TEST_PLUGIN_DIR]
#
# SECRET is a token-shaped string written into $T/credentials.yaml (mode 0600);
# no_secret_anywhere checks that it reached no log, no staged file, no outbox
# line and no API answer.
source "$(dirname "${BASH_SOURCE[0]}")/daemon_harness.sh" "$@"
SOCK=$T/herald.sock
SECRET="EAAB-security-test-$RANDOM$RANDOM-do-not-publish"
printf 'outbox/local:\n  access_token: "%s"\n' "$SECRET" >"$T/credentials.yaml"
chmod 600 "$T/credentials.yaml"
MEDIA_PID=""
cleanup_security() {
  if [[ -n $MEDIA_PID ]]; then kill "$MEDIA_PID" 2>/dev/null || true; wait "$MEDIA_PID" 2>/dev/null || true; fi
  cleanup
}
trap cleanup_security EXIT

# api METHOD PATH [curl args...]: the body, then the HTTP status on the last line.
# api PATH [curl args...] (a path first) is the daemon harness's GET, which its
# start_daemon, status and settled use.
eval "daemon_$(declare -f api)"
api() {
  if [[ $1 == /* ]]; then daemon_api "$@"; return; fi
  local m=$1 p=$2; shift 2; curl -sS --unix-socket "$SOCK" -X "$m" -w '\n%{http_code}' "http://herald$p" "$@"
}
body() { sed '$d' <<<"$1"; }
code() { tail -n1 <<<"$1"; }
# json EXPR TEXT: a Python expression over the JSON document `j`.
json() { python3 -c "import json,sys; j=json.loads(sys.argv[1]); print($1)" "$2"; }

# write_security_config [YAML_LINE...]: $T/herald.yaml for the outbox account
# with the harness's credentials, socket and debug log, plus each YAML_LINE
# (e.g. the media block).
write_security_config() {
  {
    cat <<YAML
calendar_dirs: [$T/calendars]
state_dir: $T/state
plugin_dirs: [$PLUGIN_DIR, $TEST_PLUGIN_DIR]
credentials_file: $T/credentials.yaml
log_level: debug
control: {socket: $SOCK}
accounts:
  outbox/local:
    credentials: outbox/local
    settings: {path: $T/outbox.jsonl}
YAML
    for line in "$@"; do echo "$line"; done
  } >"$T/herald.yaml"
}

# settled: true when no job is pending, running or unknown.
settled() {
  local s
  s=$(body "$(api GET /v1/status)") || return 1
  [[ $(json 'j["jobs"]["pending"] + j["jobs"]["running"]' "$s") == 0 ]]
}

# start_media_server: serves $T/media on an ephemeral loopback port; sets MEDIA_PORT.
start_media_server() {
  mkdir -p "$T/media"
  python3 -m http.server 0 --bind 127.0.0.1 --directory "$T/media" >"$T/media-server.log" 2>&1 &
  MEDIA_PID=$!
  wait_for 30 "grep -q 'port' '$T/media-server.log'" || fail "the media server did not start"
  MEDIA_PORT=$(sed -n 's/.*port \([0-9]*\).*/\1/p' "$T/media-server.log" | head -1)
}

# job_field POST_ID EXPR: EXPR over the job of that post (the first found).
job_field() {
  local id
  id=$(json "[x['id'] for x in j['jobs'] if x['post']=='$1'][0]" "$(body "$(api GET '/v1/jobs?limit=1000')")")
  json "$2" "$(body "$(api GET "/v1/jobs/$id")")"
}

# no_secret_anywhere: SECRET is in no log, staged file, outbox line or listing.
no_secret_anywhere() {
  local where
  # The credentials file itself, and the test's own links to it, aside.
  where=$(grep -rlF "$SECRET" "$T" 2>/dev/null | while read -r f; do
    [[ $f -ef $T/credentials.yaml ]] || echo "$f"
  done)
  [[ -z $where ]] || fail "the secret reached: $where"
  api GET '/v1/jobs?limit=1000' | grep -qF "$SECRET" && fail "the secret is in /v1/jobs"
  return 0
}
