# YouTube connector OAuth and errors against the sandbox: an access token near
# expiry is refreshed first (and stored); a revoked refresh token is
# auth_expired; a failing token endpoint is a retry that keeps the stored
# refresh token; quotaExceeded is quota_exhausted (the host computes the
# reset from describe()'s quota); an invalid
# title fails with the platform's reason.
source "$(dirname "$0")/lib/connector_harness.sh"
YT=UCcornerCleanersTV0000001
start_sandbox
head -c 300000 /dev/zero >"$WORK/v.mp4"
REFRESH=sandbox-yt-refresh-corner-cleaners-tv
creds() { write_creds youtube/corner-cleaners-tv access_token=stale-token refresh_token=$1 \
  client_id=herald-sandbox-client client_secret=sandbox-client-secret expires_at_ms=$2; }
stored() { python3 -c "import re,sys; t=open('$WORK/creds.yaml').read(); print(re.search(r'$1: \"?([^\"\n]*)', t).group(1))"; }
CFG="{\"channel_id\":\"$YT\",\"chunk_bytes\":262144}"
A=youtube/corner-cleaners-tv
post="{\"id\":\"t1\",\"text\":\"Token test\",\"options\":{\"title\":\"Token test\"},\"media\":[{\"path\":\"$WORK/v.mp4\",\"kind\":\"video\",\"mime_type\":\"video/mp4\"}]}"
soon=$(( ($(date +%s) + 60) * 1000 ))

creds $REFRESH $soon
out=$(drive $A "$CFG" --post-json "$post")
[[ $(field 'j["outcome"]' "$(last_line "$out")") == published ]] || fail "refresh ahead of expiry: $out"
[[ $(stored access_token) != stale-token ]] || fail "the refreshed token was not stored"
[[ $(stored refresh_token) == "$REFRESH" ]] || fail "the refresh token changed"
(( $(stored expires_at_ms) > soon )) || fail "expires_at_ms not moved"
check_no_secrets "$out" "$REFRESH" sandbox-client-secret "$(stored access_token)"

creds revoked-refresh-token 1
out=$(drive $A "$CFG" --post-json "$post")
[[ $(field 'j["outcome"]' "$out") == auth_expired && $(field 'j["platform_code"]' "$out") == invalid_grant ]] || fail "revoked: $out"
check_no_secrets "$out" revoked-refresh-token

creds $REFRESH 1
fault '{"kind":"status","status":503,"path":"/token"}'
out=$(drive $A "$CFG" --post-json "$post")
[[ $(field 'j["outcome"]' "$out") == retry ]] || fail "token endpoint 503: $out"
[[ $(stored refresh_token) == "$REFRESH" && $(stored access_token) == stale-token ]] || fail "a failed refresh changed the stored credentials"

creds $REFRESH $(( ($(date +%s) + 3600) * 1000 ))
out=$(drive $A "$CFG" --post-json "$post")
[[ $(field 'j["outcome"]' "$(last_line "$out")") == published ]] || fail "401 then refresh: $out"

fault '{"kind":"rate_limit","path":"/upload/youtube/v3/videos","method":"POST"}'
out=$(drive $A "$CFG" --post-json "$post")
[[ $(field 'j["outcome"]' "$out") == quota_exhausted && $(field 'j["platform_code"]' "$out") == quotaExceeded ]] || fail "quota: $out"

bad="{\"id\":\"t2\",\"text\":\"x\",\"options\":{\"title\":\"$(printf 'a%.0s' $(seq 1 120))\"},\"media\":[{\"path\":\"$WORK/v.mp4\",\"kind\":\"video\",\"mime_type\":\"video/mp4\"}]}"
out=$(drive $A "$CFG" --post-json "$bad")
[[ $(field 'j["outcome"]' "$out") == failed && $(field 'j["platform_code"]' "$out") == invalidTitle ]] || fail "title: $out"
echo PASS
