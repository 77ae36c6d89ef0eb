# heraldctl connect instagram/NAME against the sandbox: the Page's linked
# instagram_business_account is found through /me/accounts; its Page token is
# stored for the Instagram account and is accepted by the Instagram API.
source "$(dirname "$0")/lib/sandbox_harness.sh"
source "$(dirname "$0")/lib/connect_harness.sh"
start_sandbox
# The Instagram app is Facebook's: instagram falls back to platforms.facebook.oauth.
write_config facebook

start_connect instagram/corner-cleaners --client-secret-file "$WORK/secret"
[[ $AUTH_URL == *instagram_content_publish* ]] || fail "scope lacks instagram_content_publish: $AUTH_URL"
connected
grep -q "Using the only Page: corner-cleaners (Page $FB, Instagram $IG)" "$WORK/connect.out" ||
  fail "page not picked: $(cat "$WORK/connect.out")"
grep -q "ig_user_id: \"$IG\"" "$WORK/connect.out" || fail "no ig_user_id hint"

token=$(cred instagram/corner-cleaners access_token)
out=$(req GET "v21.0/$IG/content_publishing_limit?fields=quota_usage" --data-urlencode "access_token=$token" -G)
expect_status 200 "$out"
echo PASS
