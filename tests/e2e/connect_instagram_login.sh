# heraldctl connect instagram/NAME with Instagram Login (settings.login:
# instagram): Business Login's authorization window, the code for a
# short-lived token at /oauth/access_token, ig_exchange_token for a long-lived
# one, /me for the professional account's id; access_token and expires_at_ms
# are stored, no Facebook Page is involved, and the token is accepted by the
# Instagram API while a Facebook Graph call (/me/accounts) refuses it.
source "$(dirname "$0")/lib/sandbox_harness.sh"
source "$(dirname "$0")/lib/connect_harness.sh"
start_sandbox
mkdir -p "$WORK/calendars"
cat >"$WORK/herald.yaml" <<YAML
calendar_dirs: [calendars]
credentials_file: credentials.yaml
platforms:
  instagram:
    oauth:
      client_id: herald-sandbox-client
      auth_url: ${URL}oauth/authorize
      token_url: ${URL}oauth/access_token
accounts:
  instagram/corner-cleaners:
    api_base: ${URL%/}
    credentials: instagram/corner-cleaners
    settings: {login: instagram}
YAML
printf 'sandbox-client-secret\n' >"$WORK/secret"; chmod 600 "$WORK/secret"

start_connect instagram/corner-cleaners --client-secret-file "$WORK/secret"
[[ $AUTH_URL == "${URL}oauth/authorize?"* ]] || fail "not Business Login's window: $AUTH_URL"
[[ $AUTH_URL == *instagram_business_basic%2Cinstagram_business_content_publish* ]] ||
  fail "scope: $AUTH_URL"
connected
grep -q "ig_user_id: \"$IG\"" "$WORK/connect.out" || fail "no ig_user_id hint: $(cat "$WORK/connect.out")"
grep -q "login: instagram" "$WORK/connect.out" || fail "no login hint"
grep -q '"path":"/access_token"' "$WORK/requests.jsonl" || fail "no ig_exchange_token"

token=$(cred instagram/corner-cleaners access_token)
[[ $token == IGAAsandbox* ]] || fail "not an Instagram user token"
expires=$(cred instagram/corner-cleaners expires_at_ms)
now=$(($(date +%s) * 1000))
(( expires > now + 59 * 86400000 && expires < now + 61 * 86400000 )) || fail "expires_at_ms is not in 60 days: $expires"
out=$(req GET "v26.0/$IG/content_publishing_limit?fields=quota_usage" --data-urlencode "access_token=$token" -G)
expect_status 200 "$out"
out=$(req GET "v26.0/me/accounts" --data-urlencode "access_token=$token" -G)
expect_status 400 "$out"
[[ $(json 'j["error"]["code"]' "$out") == 190 ]] || fail "a Facebook call took an Instagram token: $out"

# A refused login (unknown login hint): nothing written.
rm -f "$WORK/credentials.yaml"
start_connect instagram/corner-cleaners --client-secret-file "$WORK/secret" --login-hint nobody
authorize
[[ $LOCATION == *error=access_denied* ]] || fail "no access_denied: $LOCATION"
deliver
finish_connect
[[ $CONNECT_RC != 0 ]] || fail "a refused login succeeded"
[[ ! -s $WORK/credentials.yaml ]] || fail "credentials written after a refusal"
echo PASS
