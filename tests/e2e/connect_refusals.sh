# heraldctl connect refuses, says why, writes nothing and exits 1 when the
# redirect's state does not match, when the user denies consent, when the
# token endpoint fails or cannot be reached, and when no redirect comes.
source "$(dirname "$0")/lib/sandbox_harness.sh"
source "$(dirname "$0")/lib/connect_harness.sh"
start_sandbox
write_config youtube
printf 'facebook/other:\n  access_token: "keep-me"\n' >"$WORK/credentials.yaml"
chmod 600 "$WORK/credentials.yaml"
before=$(sha256sum "$WORK/credentials.yaml")

# expect_refused MESSAGE: exit 1, the message, nothing written, no secret.
expect_refused() {
  [[ $CONNECT_RC == 1 ]] || fail "expected exit 1, got $CONNECT_RC: $(cat "$WORK/connect.err")"
  grep -qF "$1" "$WORK/connect.err" || fail "expected '$1' in: $(cat "$WORK/connect.err")"
  grep -q 'Nothing was written' "$WORK/connect.err" || fail "no 'Nothing was written'"
  [[ $(sha256sum "$WORK/credentials.yaml") == "$before" ]] || fail "the credentials file changed"
  no_secret_leaked
}

# 1. A forged state.
start_connect youtube/tv --client-secret-file "$WORK/secret"
authorize
deliver "$(sed 's/state=[^&]*/state=forged/' <<<"$LOCATION")"
finish_connect
expect_refused "state parameter does not match"
grep -q 'refused' "$WORK/browser.html" || fail "the browser was not told"
# ...and the genuine code was never exchanged.
grep -q '"path":"/token"' "$WORK/requests.jsonl" && fail "/token was called after a state mismatch"

# 2. Consent denied (an unknown login_hint stands for "Cancel" in the sandbox).
start_connect youtube/tv --client-secret-file "$WORK/secret" --login-hint nobody
authorize
[[ $LOCATION == *error=access_denied* ]] || fail "the sandbox did not deny: $LOCATION"
deliver
finish_connect
expect_refused "the authorization was refused: access_denied"

# 3. The token endpoint answers 500.
req POST _sandbox/faults -H 'Content-Type: application/json' \
  -d '{"kind":"status","status":500,"path":"/token","count":1}' >/dev/null
start_connect youtube/tv --client-secret-file "$WORK/secret"
authorize
deliver
finish_connect
expect_refused "exchanging the authorization code failed: HTTP 500"

# 4. The token endpoint cannot be reached (a port nothing listens on).
port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')
start_connect youtube/tv --client-secret-file "$WORK/secret" --token-url "http://127.0.0.1:$port/token"
authorize
deliver
finish_connect
expect_refused "exchanging the authorization code: cannot reach http://127.0.0.1:$port/token"

# 5. No redirect at all.
start_connect youtube/tv --client-secret-file "$WORK/secret" --timeout 1
finish_connect
expect_refused "no redirect reached"

# 6. A missing credentials file is not left behind after a refusal.
rm "$WORK/credentials.yaml"
start_connect youtube/tv --client-secret-file "$WORK/secret" --timeout 1
finish_connect
[[ $CONNECT_RC == 1 ]] || fail "expected exit 1"
[[ ! -e $WORK/credentials.yaml ]] || fail "an empty credentials file was left behind"
echo PASS
