# Facebook connector error classes and recovery against the sandbox:
# 5xx -> retry; rate limit 32 -> retry at a later time; expired token -> auth_expired;
# answer dropped after the post was applied -> unknown, then find finds it
# (no second post); listing failure -> cannot tell; a kill in the middle of a
# multi-photo post resumes from the checkpoint with one post in the end; a
# video whose chunk is cut mid-way, whose chunk answer is lost, and whose
# upload resumes in another process asks the upload session for its offset
# and goes on from there (no byte range sent twice, none from 0 again); a lost
# publish answer is unknown and find finds the video among the Page's videos.
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
uploads=$(curl -sS "${URL}_sandbox/requests?path=/v*/$FB/photos" | python3 -c "import json,sys; print(json.load(sys.stdin)['count'])")
[[ $uploads == 2 ]] || fail "each photo uploaded once, got $uploads uploads"

video="$TOP/examples/calendars/media/behind-the-counter.mp4"
size=$(stat -c %s "$video")
VCFG="{\"page_id\":\"$FB\",\"app_id\":\"herald-sandbox-client\",\"chunk_bytes\":4096}"
vpost() { echo "{\"id\":\"$1\",\"text\":\"$2\",\"due_ms\":$due,\"media\":[{\"path\":\"$video\",\"kind\":\"video\",\"mime_type\":\"video/mp4\",\"size_bytes\":$size}]}"; }
# The file_offset headers of the chunks sent since request SEQ, as offset+bytes.
chunks_since() {
  curl -sS "${URL}_sandbox/requests?path=/v*/upload:*&after=$1" | python3 -c "
import json,sys
print(' '.join(r['method'] if r['method'] == 'GET' else r['params']['file_offset'] + '+' + str(r['params']['body_bytes']) + ('!' if r['status'] != 200 else '') for r in json.load(sys.stdin)['requests']))"
}
seq_now() { curl -sS "${URL}_sandbox/requests" | python3 -c "import json,sys; r=json.load(sys.stdin)['requests']; print(r[-1]['seq'] if r else 0)"; }

# The second chunk is cut after half its bytes; the third chunk's answer is lost.
s0=$(seq_now)
fault '{"kind":"upload_break","path":"/v*/upload:*","method":"POST","count":1}'
out=$(drive $A "$VCFG" --post-json "$(vpost v1 'cut and lost')" --max-steps 3)
fault '{"kind":"drop","path":"/v*/upload:*","method":"POST","count":1}'
cp=$(field 'j["checkpoint"]' "$(last_line "$out")")
out=$(drive $A "$VCFG" --post-json "$(vpost v1 'cut and lost')" --checkpoint "$cp")
[[ $(field 'j["outcome"]' "$(last_line "$out")") == published ]] || fail "video after faults: $out"
got=$(chunks_since "$s0")
# 0+4096 is cut (2048 kept, no answer): a question. The new process asks
# again before sending, goes on at 2048; that answer is lost (the bytes
# arrived): a question, then 6144 and the rest. No range is sent twice.
[[ $got == "0+4096! GET GET 2048+4096! GET 6144+4096 10240+$((size - 10240))" ]] || fail "chunks: $got"

# The publish's answer is lost: unknown, then find sees the one video.
fault '{"kind":"drop","path":"/v*/'$FB'/videos","method":"POST","count":1}'
out=$(drive $A "$VCFG" --post-json "$(vpost v2 'publish answer lost')")
[[ $(field 'j["outcome"]' "$(last_line "$out")") == unknown ]] || fail "lost publish: $out"
out=$(drive $A "$VCFG" --find --post-json "$(vpost v2 'publish answer lost')")
[[ $(field 'j["find"]' "$out") == found ]] || fail "find the video: $out"
videos=$(curl -sS "${URL}_sandbox/posts?account=$FB" | python3 -c "import json,sys; print(len([p for p in json.load(sys.stdin)['accounts'][0]['posts'] if p['kind'] == 'video']))")
[[ $videos == 2 ]] || fail "two videos published once each, got $videos"

# Expired token on the upload: auth_expired; a video for a Page without app id fails clearly.
fault '{"kind":"token_expired","path":"/v*/upload:*","method":"POST","count":1}'
out=$(drive $A "$VCFG" --post-json "$(vpost v3 'expired')")
[[ $(field 'j["outcome"]' "$(last_line "$out")") == auth_expired ]] || fail "expired upload token: $out"
out=$(drive $A "$CFG" --post-json "$(vpost v4 'no app')")
[[ $(field 'j["outcome"]' "$out") == failed && $(field 'j["reason"]' "$out") == *app_id* ]] || fail "no app id: $out"
echo PASS
