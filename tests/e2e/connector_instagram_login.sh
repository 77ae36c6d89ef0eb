# Instagram connector with Instagram Login (settings.login: instagram) against
# the sandbox: the same container flow with an Instagram user token; a token
# that expires within 10 days is refreshed first (graph.instagram.com's
# /refresh_access_token) and the new token and expiry are stored; an expired
# one is auth_expired before any request; find and metrics read the post back.
source "$(dirname "$0")/lib/connector_harness.sh"
IGL_TOKEN=sandbox-igl-corner-cleaners
cat >"$WORK/c.yaml" <<YAML
processing: {instagram_container_seconds: 0.3}
accounts:
  - {platform: instagram, id: "$IG", name: corner-cleaners, tokens: [{value: $IGL_TOKEN, login: instagram}]}
YAML
SANDBOX_CONFIG=$WORK/c.yaml start_sandbox
serve_media
printf '\xff\xd8\xff\xe0fakejpeg' >"$WORK/www/a.jpg"
CFG="{\"ig_user_id\":\"$IG\",\"login\":\"instagram\"}"
A=instagram/corner-cleaners
now=$(($(date +%s) * 1000))
img="{\"path\":\"$WORK/www/a.jpg\",\"kind\":\"image\",\"mime_type\":\"image/jpeg\",\"public_url\":\"$MEDIA_URL/a.jpg\"}"
cred() { python3 -c "import sys,yaml; print(yaml.safe_load(open(sys.argv[1]))['$A'][sys.argv[2]])" "$WORK/creds.yaml" "$1"; }

# Two days left: refreshed, then published with the new token.
write_creds $A access_token=$IGL_TOKEN expires_at_ms=$((now + 2 * 86400000))
out=$(drive $A "$CFG" --post-json "{\"id\":\"l1\",\"text\":\"No Page needed\",\"due_ms\":$now,\"media\":[$img]}")
[[ $(field 'j["outcome"]' "$(last_line "$out")") == published ]] || fail "publish: $out"
media_id=$(field 'j["remote_id"]' "$(last_line "$out")")
fresh=$(cred access_token)
[[ $fresh == IGAAsandbox* ]] || fail "the refreshed token was not stored"
(( $(cred expires_at_ms) > now + 59 * 86400000 )) || fail "the new expiry was not stored"
grep -q '"path":"/refresh_access_token"' "$WORK/requests.jsonl" || fail "no refresh request"
grep -q '"grant_type":"ig_refresh_token"' "$WORK/requests.jsonl" || fail "refresh without ig_refresh_token"
check_no_secrets "$out" "$IGL_TOKEN" "$fresh"
grep -q "$fresh" "$WORK/requests.jsonl" && fail "a token in the sandbox log"

# 60 days left: no refresh. find and metrics use the stored token.
refreshes=$(grep -c refresh_access_token "$WORK/requests.jsonl")
out=$(drive $A "$CFG" --find --post-json "{\"id\":\"l1\",\"text\":\"No Page needed\",\"due_ms\":$now,\"media\":[$img]}")
[[ $(field 'j["find"]' "$out") == found && $(field 'j["remote_id"]' "$out") == "$media_id" ]] || fail "find: $out"
out=$(drive $A "$CFG" --metrics "$media_id")
[[ $(field "'likes' in j['metrics']['$media_id']" "$out") == True ]] || fail "metrics: $out"
[[ $(grep -c refresh_access_token "$WORK/requests.jsonl") == "$refreshes" ]] || fail "refreshed a fresh token"

# Expired: auth_expired, nothing sent.
write_creds $A access_token=$fresh expires_at_ms=$((now - 1000))
before=$(wc -l <"$WORK/requests.jsonl")
out=$(drive $A "$CFG" --post-json "{\"id\":\"l2\",\"text\":\"late\",\"due_ms\":$now,\"media\":[$img]}")
[[ $(field 'j["outcome"]' "$out") == auth_expired ]] || fail "expired: $out"
[[ $(wc -l <"$WORK/requests.jsonl") == "$before" ]] || fail "a request left with an expired token"

# A bad login setting fails clearly.
out=$(drive $A "{\"ig_user_id\":\"$IG\",\"login\":\"tiktok\"}" --post-json "{\"id\":\"l3\",\"text\":\"x\",\"media\":[$img]}")
[[ $(field 'j["outcome"]' "$out") == failed && $(field 'j["reason"]' "$out") == *login* ]] || fail "bad login: $out"
echo PASS
