# heraldctl connect facebook/NAME against the sandbox: code -> user token ->
# long-lived token (fb_exchange_token) -> /me/accounts -> the Page picked with
# --page; the Page token (and the long-lived user token, for video uploads)
# is written with mode 0600 and publishes.
source "$(dirname "$0")/lib/sandbox_harness.sh"
source "$(dirname "$0")/lib/connect_harness.sh"
start_sandbox
write_config facebook

start_connect facebook/corner-cleaners --client-secret-file "$WORK/secret" --page "$FB"
[[ $AUTH_URL == "${URL}v26.0/dialog/oauth?"* ]] || fail "not the Facebook dialog: $AUTH_URL"
[[ $AUTH_URL == *state=* && $AUTH_URL == *scope=pages_show_list* ]] || fail "state or scope missing: $AUTH_URL"
connected
grep -q "page_id: \"$FB\"" "$WORK/connect.out" || fail "no page_id hint: $(cat "$WORK/connect.out")"
grep -q '"grant_type":"fb_exchange_token"' "$WORK/requests.jsonl" || fail "no long-lived token exchange"
grep -q '"path":"/v26.0/me/accounts"' "$WORK/requests.jsonl" || fail "no /me/accounts"

token=$(cred facebook/corner-cleaners access_token)
out=$(req POST "v26.0/$FB/feed" --data-urlencode "message=connected" --data-urlencode "access_token=$token")
expect_status 200 "$out"
user=$(cred facebook/corner-cleaners user_access_token)
[[ $user == EAAsandbox* && $user != "$token" ]] || fail "no user_access_token beside the Page token"

# Without --page and with one Page only, that Page is taken; a Page that is
# not managed is refused and nothing changes.
before=$(sha256sum "$WORK/credentials.yaml")
start_connect facebook/corner-cleaners --client-secret-file "$WORK/secret" --page 999
authorize
deliver
finish_connect
[[ $CONNECT_RC == 1 ]] || fail "an unknown --page should fail, got $CONNECT_RC"
grep -q "no Page 999 among the ones you manage" "$WORK/connect.err" || fail "$(cat "$WORK/connect.err")"
[[ $(sha256sum "$WORK/credentials.yaml") == "$before" ]] || fail "the credentials file changed"
no_secret_leaked
echo PASS
