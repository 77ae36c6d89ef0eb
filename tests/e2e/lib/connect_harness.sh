# Shared harness for the `heraldctl connect` end-to-end scripts (sourced after
# sandbox_harness.sh). curl plays the browser: it asks the sandbox's
# authorization endpoint (which approves at once), reads the redirect and
# delivers it to heraldctl's loopback listener.
#   bash tests/e2e/connect_x.sh HERALD_SANDBOX BUILD_DIR HERALDCTL
HERALDCTL=${3:?usage: $0 herald-sandbox build-dir heraldctl}
CONNECT_PID=

# Every secret the sandbox hands out starts with one of these; the client
# secret is the sandbox's example one.
SECRET_PATTERN='sandbox-client-secret|EAAsandbox|IGAAsandbox|AQBsandboxIG|ya29\.sandbox|1//sandbox|4/sandbox|AQ-sandbox'

# write_config PLATFORM: herald.yaml naming the sandbox's endpoints for PLATFORM,
# credentials in $WORK/credentials.yaml, the client secret in $WORK/secret.
write_config() {
  local platform=$1 auth token
  if [[ $platform == youtube ]]; then
    auth="${URL}o/oauth2/auth"; token="${URL}token"
  else
    auth="${URL}v26.0/dialog/oauth"; token="${URL}v26.0/oauth/access_token"
  fi
  mkdir -p "$WORK/calendars"
  cat >"$WORK/herald.yaml" <<YAML
calendar_dirs: [calendars]
credentials_file: credentials.yaml
platforms:
  $platform:
    oauth:
      client_id: herald-sandbox-client
      auth_url: $auth
      token_url: $token
YAML
  printf 'sandbox-client-secret\n' >"$WORK/secret"
  chmod 600 "$WORK/secret"
}

# start_connect ARGS...: runs heraldctl connect in the background and waits
# for the authorization URL (sets AUTH_URL).
start_connect() {
  "$HERALDCTL" --config "$WORK/herald.yaml" connect "$@" \
    >"$WORK/connect.out" 2>"$WORK/connect.err" </dev/null &
  CONNECT_PID=$!
  AUTH_URL=
  for _ in $(seq 1 200); do
    AUTH_URL=$(sed -n 's/^  \(http[^ ]*\)$/\1/p' "$WORK/connect.out" | head -1)
    [[ -n $AUTH_URL ]] && grep -q '^Waiting for the redirect' "$WORK/connect.out" && return 0
    kill -0 "$CONNECT_PID" 2>/dev/null || fail "heraldctl exited early: $(cat "$WORK/connect.err")"
    sleep 0.05
  done
  fail "no authorization URL printed"
}

# authorize: the browser's first leg; sets LOCATION (the redirect to heraldctl).
authorize() {
  LOCATION=$(curl -sS -o /dev/null -w '%{redirect_url}' "$AUTH_URL")
  [[ $LOCATION == http://127.0.0.1:*/callback\?* ]] || fail "no redirect to the loopback listener: $LOCATION"
}

# deliver [URL]: the browser follows the redirect (default: $LOCATION).
deliver() { curl -sS -o "$WORK/browser.html" "${1:-$LOCATION}" || true; }

# finish_connect: waits for heraldctl; sets CONNECT_RC.
finish_connect() {
  CONNECT_RC=0
  wait "$CONNECT_PID" || CONNECT_RC=$?
  CONNECT_PID=
}

# connected: the browser's whole round trip, then heraldctl must have succeeded,
# leaked no secret and written the file with mode 0600.
connected() {
  authorize
  deliver
  finish_connect
  [[ $CONNECT_RC == 0 ]] || fail "heraldctl connect exited $CONNECT_RC: $(cat "$WORK/connect.err")"
  no_secret_leaked
  expect_mode_0600
}

# no_secret_leaked: nothing heraldctl printed or showed the browser holds a secret.
no_secret_leaked() {
  if grep -E -n "$SECRET_PATTERN" "$WORK/connect.out" "$WORK/connect.err" "$WORK"/browser.html 2>/dev/null; then
    fail "a secret reached heraldctl's output"
  fi
}

# cred ACCOUNT KEY: one value from the credentials file.
cred() {
  python3 - "$WORK/credentials.yaml" "$1" "$2" <<'PY'
import sys, yaml
print(yaml.safe_load(open(sys.argv[1]))[sys.argv[2]][sys.argv[3]])
PY
}

expect_mode_0600() {
  [[ $(stat -c %a "$WORK/credentials.yaml") == 600 ]] || fail "credentials file mode is $(stat -c %a "$WORK/credentials.yaml")"
}

stop_connect_and_sandbox() {
  if [[ -n $CONNECT_PID ]]; then kill "$CONNECT_PID" 2>/dev/null || true; wait "$CONNECT_PID" 2>/dev/null || true; fi
  stop_sandbox
}
trap stop_connect_and_sandbox EXIT
