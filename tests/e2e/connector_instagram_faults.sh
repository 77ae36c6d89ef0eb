# Instagram connector error classes against the sandbox: a container that ends
# in ERROR fails with the platform's status; a medium without a public URL
# fails before any request; expired token -> auth_expired; rate limit -> retry;
# media_publish answer dropped -> unknown, then find finds the post (once).
source "$(dirname "$0")/lib/connector_harness.sh"
cat >"$WORK/c.yaml" <<YAML
processing: {instagram_container_seconds: 0.2}
accounts:
  - {platform: instagram, id: "$IG", name: corner-cleaners, tokens: [$IG_TOKEN]}
YAML
SANDBOX_CONFIG=$WORK/c.yaml start_sandbox
serve_media
printf '\xff\xd8\xff\xe0fakejpeg' >"$WORK/www/a.jpg"
write_creds instagram/corner-cleaners access_token=$IG_TOKEN
CFG="{\"ig_user_id\":\"$IG\"}"
A=instagram/corner-cleaners
img="{\"path\":\"$WORK/www/a.jpg\",\"kind\":\"image\",\"mime_type\":\"image/jpeg\",\"public_url\":\"$MEDIA_URL/a.jpg\"}"

fault '{"kind":"container_error","path":"/v*/*/media","method":"POST"}'
out=$(drive $A "$CFG" --post-json "{\"id\":\"e1\",\"text\":\"broken\",\"media\":[$img]}")
[[ $(field 'j["outcome"]' "$(last_line "$out")") == failed ]] || fail "container error: $out"
[[ $(field 'j["reason"]' "$(last_line "$out")") == *2207053* ]] || fail "no platform status: $out"

out=$(drive $A "$CFG" --post-json "{\"id\":\"e2\",\"text\":\"unstaged\",\"media\":[{\"path\":\"$WORK/www/a.jpg\",\"kind\":\"image\",\"mime_type\":\"image/jpeg\"}]}")
[[ $(field 'j["outcome"]' "$out") == failed && $(field 'j["reason"]' "$out") == *"public URL"* ]] || fail "unstaged: $out"

fault '{"kind":"token_expired","path":"/v*/*/content_publishing_limit"}'
out=$(drive $A "$CFG" --post-json "{\"id\":\"e3\",\"text\":\"x\",\"media\":[$img]}")
[[ $(field 'j["outcome"]' "$out") == auth_expired ]] || fail "expired: $out"

fault '{"kind":"rate_limit","path":"/v*/*/media","method":"POST"}'
out=$(drive $A "$CFG" --post-json "{\"id\":\"e4\",\"text\":\"x\",\"media\":[$img]}")
[[ $(field 'j["outcome"]' "$out") == retry && $(field 'j["platform_code"]' "$out") == 4 ]] || fail "rate: $out"
[[ $(sandbox_posts $IG) == 0 ]] || fail "nothing published yet"

due=$(($(date +%s) * 1000))
fault '{"kind":"drop","path":"/v*/*/media_publish"}'
out=$(drive $A "$CFG" --post-json "{\"id\":\"e5\",\"text\":\"lost answer\",\"due_ms\":$due,\"media\":[$img]}")
[[ $(field 'j["outcome"]' "$(last_line "$out")") == unknown ]] || fail "drop: $out"
out=$(drive $A "$CFG" --find --post-json "{\"id\":\"e5\",\"text\":\"lost answer\",\"due_ms\":$due,\"media\":[$img]}")
[[ $(field 'j["find"]' "$out") == found ]] || fail "find after drop: $out"
[[ $(sandbox_posts $IG) == 1 ]] || fail "published once"
echo PASS
