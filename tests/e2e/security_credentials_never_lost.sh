# The audit's lost credentials: a running heraldd holds its copy of the
# credentials file; meanwhile the admin connects another account with
# heraldctl connect; then heraldd refreshes its YouTube token. The new entry
# must survive, the refreshed token must be stored, and heraldd must not
# rewrite the admin's file at all (it may be read-only: /etc/herald under
# ProtectSystem=strict): refreshed tokens go to the state directory's layer,
# mode 0600. No secret reaches heraldd's log or heraldctl's output.
#   bash security_credentials_never_lost.sh HERALD_SANDBOX BUILD_DIR HERALDCTL HERALDD
source "$(dirname "$0")/lib/sandbox_harness.sh"
source "$(dirname "$0")/lib/connect_harness.sh"
HERALDD=${4:?usage: $0 herald-sandbox build-dir heraldctl heraldd}
DAEMON_PID=
trap 'if [[ -n $DAEMON_PID ]]; then kill $DAEMON_PID 2>/dev/null; wait $DAEMON_PID 2>/dev/null; fi; stop_sandbox' EXIT
start_sandbox
SOCK=$WORK/herald.sock
mkdir -p "$WORK/calendars/media" "$WORK/state"
cp "$TOP/tests/fixtures/media/h264-aac.mp4" "$WORK/calendars/media/clip.mp4"
cp "$TOP/tests/fixtures/media/cover.png" "$WORK/calendars/media/cover.png"
printf 'sandbox-client-secret\n' >"$WORK/secret"; chmod 600 "$WORK/secret"
cat >"$WORK/herald.yaml" <<YAML
calendar_dirs: [calendars]
state_dir: state
plugin_dirs: [$BUILD_DIR/plugins]
credentials_file: credentials.yaml
log_level: debug
control: {socket: $SOCK}
platforms:
  facebook:
    oauth:
      client_id: herald-sandbox-client
      auth_url: ${URL}v21.0/dialog/oauth
      token_url: ${URL}v21.0/oauth/access_token
accounts:
  youtube/corner-cleaners-tv:
    api_base: ${URL%/}
    credentials: youtube/corner-cleaners-tv
    settings: {channel_id: UCcornerCleanersTV0000001, chunk_bytes: 262144}
YAML
# An expired access token: the first step refreshes it.
cat >"$WORK/credentials.yaml" <<YAML
youtube/corner-cleaners-tv:
  access_token: "stale-token"
  refresh_token: "sandbox-yt-refresh-corner-cleaners-tv"
  client_id: "herald-sandbox-client"
  client_secret: "sandbox-client-secret"
  expires_at_ms: "1"
YAML
chmod 600 "$WORK/credentials.yaml"
cat >"$WORK/calendars/tv.yaml" <<YAML
calendar: tv
time_zone: UTC
targets: [youtube/corner-cleaners-tv]
campaigns:
  - id: c
    goal: retention
    posts:
      - id: clip
        at: "$(TZ=UTC date -d '+1 hour' '+%Y-%m-%d %H:%M:%S')"
        text: Behind the counter
        youtube: {title: Behind the counter, privacy: unlisted}
        media: [{path: media/clip.mp4, cover: media/cover.png}]
YAML
(cd "$WORK" && exec "$HERALDD" --config "$WORK/herald.yaml") >"$WORK/heraldd.log" 2>&1 &
DAEMON_PID=$!
api() { curl -sS --unix-socket "$SOCK" -X "$1" "http://herald$2"; }
poll 20 eval 'api GET /v1/status >/dev/null 2>&1' || fail "heraldd did not start: $(tail -5 "$WORK/heraldd.log")"

# The admin connects another account while heraldd runs with its old copy.
start_connect facebook/corner-cleaners --client-secret-file "$WORK/secret" --page "$FB"
authorize
deliver
finish_connect
[[ $CONNECT_RC == 0 ]] || fail "heraldctl connect exited $CONNECT_RC: $(cat "$WORK/connect.err")"
no_secret_leaked
after_connect=$(sha256sum <"$WORK/credentials.yaml")

# Now heraldd refreshes its token and publishes.
id=$(api GET '/v1/jobs?state=pending' | python3 -c 'import json,sys; print(json.load(sys.stdin)["jobs"][0]["id"])')
api POST "/v1/jobs/$id/publish-now" >/dev/null
job_state() { api GET "/v1/jobs/$id" | python3 -c 'import json,sys; print(json.load(sys.stdin)["state"])'; }
state=
poll 30 eval 'state=$(job_state); [[ $state == published || $state == failed ]]' || true
[[ $state == published ]] || fail "the video was not published ($state): $(api GET "/v1/jobs/$id")"

[[ $(sha256sum <"$WORK/credentials.yaml") == "$after_connect" ]] || fail "heraldd rewrote the admin's credentials file"
[[ $(cred facebook/corner-cleaners access_token) == EAAsandbox* ]] || fail "the new connection was lost"
[[ $(cred youtube/corner-cleaners-tv access_token) == stale-token ]] || fail "the admin's entry changed"
layer=$WORK/state/credentials.refreshed.yaml
[[ -f $layer && $(stat -c %a "$layer") == 600 ]] || fail "no 0600 refreshed layer in the state directory"
python3 - "$layer" <<'PY' || fail "the refreshed token is not in the layer"
import sys, yaml
keys = yaml.safe_load(open(sys.argv[1]))["youtube/corner-cleaners-tv"]["keys"]
assert keys["access_token"] not in ("", "stale-token") and int(keys["expires_at_ms"]) > 1
PY
grep -E -q "$SECRET_PATTERN|stale-token" "$WORK/heraldd.log" && fail "a secret reached heraldd's log"
kill -TERM "$DAEMON_PID"; wait "$DAEMON_PID" || fail "heraldd did not stop cleanly"; DAEMON_PID=
echo PASS
