# Facebook connector error classes and recovery against the sandbox:
# 5xx -> retry; rate limit 32 -> retry at a later time; expired token -> auth_expired;
# answer dropped after the post was applied -> unknown, then find finds it
# (no second post); listing failure -> cannot tell; a kill in the middle of a
# multi-photo post resumes from the checkpoint with one post in the end.
source "$(dirname "$0")/lib/connector_harness.sh"
start_sandbox
serve_media
printf '\xff\xd8\xff\xe0fakejpeg-one' >"$WORK/www/one.jpg"
write_creds facebook/corner-cleaners access_token=$FB_TOKEN
CFG="{\"page_id\":\"$FB\"}"
A=facebook/corner-cleaners
post() { echo "{\"id\":\"$1\",\"text\":\"$2\"}"; }

fault '{"kind":"status","status":503,"path":"/v*/*/feed"}'
out=$(drive $A "$CFG" --post-json "$(post f1 'busy')")
[[ $(field 'j["outcome"]' "$out") == retry ]] || fail "503: $out"

fault '{"kind":"rate_limit","code":32,"path":"/v*/*/feed"}'
out=$(drive $A "$CFG" --post-json "$(post f2 'limited')")
[[ $(field 'j["outcome"]' "$out") == retry && $(field 'j["platform_code"]' "$out") == 32 ]] || fail "rate: $out"
(( $(field 'j["at_ms"]' "$out") > $(date +%s)000 )) || fail "rate limit without a time: $out"

fault '{"kind":"token_expired","path":"/v*/*/feed"}'
out=$(drive $A "$CFG" --post-json "$(post f3 'expired')")
[[ $(field 'j["outcome"]' "$out") == auth_expired ]] || fail "190: $out"

out=$(drive $A "$CFG" --post-json '{"id":"f4","text":""}')
[[ $(field 'j["outcome"]' "$out") == failed ]] || fail "empty post: $out"
[[ $(sandbox_posts $FB) == 0 ]] || fail "nothing should be posted yet"

due=$(($(date +%s) * 1000))
fault '{"kind":"drop","path":"/v*/*/feed","method":"POST"}'
out=$(drive $A "$CFG" --post-json "{\"id\":\"f5\",\"text\":\"dropped answer\",\"due_ms\":$due}")
[[ $(field 'j["outcome"]' "$out") == unknown ]] || fail "drop: $out"
out=$(drive $A "$CFG" --find --post-json "{\"id\":\"f5\",\"text\":\"dropped answer\",\"due_ms\":$due}")
[[ $(field 'j["find"]' "$out") == found ]] || fail "find after drop: $out"
[[ $(sandbox_posts $FB) == 1 ]] || fail "the dropped post exists once"

fault '{"kind":"status","status":500,"path":"/v*/*/published_posts"}'
out=$(drive $A "$CFG" --find --post-json "{\"id\":\"f6\",\"text\":\"whatever\",\"due_ms\":$due}")
[[ $(field 'j["find"]' "$out") == cannot_tell ]] || fail "cannot tell: $out"

multi="{\"id\":\"f7\",\"text\":\"Resumed\",\"media\":[{\"path\":\"$WORK/www/one.jpg\",\"kind\":\"image\",\"mime_type\":\"image/jpeg\",\"public_url\":\"$MEDIA_URL/one.jpg\"},{\"path\":\"$WORK/www/one.jpg\",\"kind\":\"image\",\"mime_type\":\"image/jpeg\"}]}"
out=$(drive $A "$CFG" --post-json "$multi" --max-steps 1)
cp=$(field 'j["checkpoint"]' "$(last_line "$out")")
[[ $cp == v1:* ]] || fail "no checkpoint after one step: $out"
out=$(drive $A "$CFG" --post-json "$multi" --checkpoint "$cp")
[[ $(wc -l <<<"$out") == 2 && $(field 'j["outcome"]' "$(last_line "$out")") == published ]] || fail "resume: $out"
[[ $(sandbox_posts $FB) == 2 ]] || fail "one post after the resume"
uploads=$(json_eval 'j["count"]' "$(curl -sS "${URL}_sandbox/requests?path=/v*/$FB/photos")")
[[ $uploads == 2 ]] || fail "each photo uploaded once, got $uploads uploads"
echo PASS
