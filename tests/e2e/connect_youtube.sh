# heraldctl connect youtube/NAME against the sandbox: PKCE S256 and state in
# the authorization URL, the code exchanged with the verifier, the entry
# written with mode 0600 next to an existing one, tokens that work, and no
# secret in any output.
source "$(dirname "$0")/lib/sandbox_harness.sh"
source "$(dirname "$0")/lib/connect_harness.sh"
start_sandbox
write_config youtube
printf 'facebook/other:\n  access_token: "keep-me"\n' >"$WORK/credentials.yaml"
chmod 600 "$WORK/credentials.yaml"

start_connect youtube/corner-cleaners-tv --client-secret-file "$WORK/secret"
for p in code_challenge_method=S256 code_challenge= state= access_type=offline \
         client_id=herald-sandbox-client redirect_uri=http%3A%2F%2F127.0.0.1%3A; do
  [[ $AUTH_URL == *"$p"* ]] || fail "authorization URL lacks $p: $AUTH_URL"
done
authorize
deliver
finish_connect
[[ $CONNECT_RC == 0 ]] || fail "heraldctl connect exited $CONNECT_RC: $(cat "$WORK/connect.err")"
grep -q 'authorized' "$WORK/browser.html" || fail "the browser was not told it worked"
grep -q '^Connected youtube/corner-cleaners-tv: wrote access_token client_id client_secret expires_at_ms refresh_token' \
  "$WORK/connect.out" || fail "no summary: $(cat "$WORK/connect.out")"
no_secret_leaked
expect_mode_0600

[[ $(cred facebook/other access_token) == keep-me ]] || fail "the other entry was lost"
[[ $(cred youtube/corner-cleaners-tv client_id) == herald-sandbox-client ]] || fail "client_id"
[[ $(cred youtube/corner-cleaners-tv client_secret) == sandbox-client-secret ]] || fail "client_secret"
now_ms=$(($(date +%s) * 1000))
expires=$(cred youtube/corner-cleaners-tv expires_at_ms)
(( expires > now_ms + 3500000 && expires < now_ms + 3700000 )) || fail "expires_at_ms $expires is not about an hour away"

# The sandbox checked the verifier (a code_challenge was sent), and the tokens work.
grep -q '"code_verifier":"\*\*\*"' "$WORK/requests.jsonl" || fail "no code_verifier reached /token"
access=$(cred youtube/corner-cleaners-tv access_token)
out=$(req GET "youtube/v3/channels?part=id&mine=true" -H "Authorization: Bearer $access")
expect_status 200 "$out"
refresh=$(cred youtube/corner-cleaners-tv refresh_token)
out=$(req POST token --data-urlencode grant_type=refresh_token --data-urlencode "refresh_token=$refresh" \
  --data-urlencode client_id=herald-sandbox-client --data-urlencode client_secret=sandbox-client-secret)
expect_status 200 "$out"

echo PASS
