# Facebook connector against the sandbox: text, link, photo by URL, photo
# uploaded from disk, several photos (one unpublished upload per step, then
# one feed post), a video through the Resumable Upload API (a session, the
# bytes in chunks at the server's offsets, then the publish with the file
# handle); each published exactly once; find and metrics read them back; no
# token in any output.
source "$(dirname "$0")/lib/connector_harness.sh"
start_sandbox
serve_media
printf '\xff\xd8\xff\xe0fakejpeg-one' >"$WORK/www/one.jpg"
printf '\xff\xd8\xff\xe0fakejpeg-two' >"$WORK/www/two.jpg"
write_creds facebook/corner-cleaners access_token=$FB_TOKEN
CFG="{\"page_id\":\"$FB\"}"
A=facebook/corner-cleaners

out=$(drive $A "$CFG" --post-json '{"id":"fb-text","text":"Fresh shirts, fresh week."}')
[[ $(field 'j["outcome"]' "$(last_line "$out")") == published ]] || fail "text: $out"
text_id=$(field 'j["remote_id"]' "$(last_line "$out")")

out=$(drive $A "$CFG" --post-json '{"id":"fb-link","text":"Our hours","link":"https://corner.example/hours"}')
[[ $(field 'j["outcome"]' "$(last_line "$out")") == published ]] || fail "link: $out"

out=$(drive $A "$CFG" --post-json "{\"id\":\"fb-photo-url\",\"text\":\"Stain tip\",\"media\":[{\"path\":\"$WORK/www/one.jpg\",\"kind\":\"image\",\"mime_type\":\"image/jpeg\",\"public_url\":\"$MEDIA_URL/one.jpg\"}]}")
[[ $(field 'j["outcome"]' "$(last_line "$out")") == published ]] || fail "photo url: $out"

out=$(drive $A "$CFG" --post-json "{\"id\":\"fb-photo-file\",\"text\":\"Upload\",\"media\":[{\"path\":\"$WORK/www/two.jpg\",\"kind\":\"image\",\"mime_type\":\"image/jpeg\"}]}")
[[ $(field 'j["outcome"]' "$(last_line "$out")") == published ]] || fail "photo file: $out"

multi="{\"id\":\"fb-multi\",\"text\":\"Two photos\",\"media\":[{\"path\":\"$WORK/www/one.jpg\",\"kind\":\"image\",\"mime_type\":\"image/jpeg\",\"public_url\":\"$MEDIA_URL/one.jpg\"},{\"path\":\"$WORK/www/two.jpg\",\"kind\":\"image\",\"mime_type\":\"image/jpeg\"}]}"
out=$(drive $A "$CFG" --post-json "$multi")
[[ $(wc -l <<<"$out") == 3 ]] || fail "multi-photo takes three steps: $out"
[[ $(field 'j["outcome"]' "$(last_line "$out")") == published ]] || fail "multi: $out"
check_no_secrets "$out" "$FB_TOKEN"

# A video: a Resumable Upload API session, four chunks of 4 KiB at the
# offsets the server acknowledged, then /{page-id}/videos with the handle.
video="$(cd "$(dirname "$0")/../.." && pwd)/examples/calendars/media/behind-the-counter.mp4"
size=$(stat -c %s "$video")
VCFG="{\"page_id\":\"$FB\",\"app_id\":\"herald-sandbox-client\",\"chunk_bytes\":4096}"
vpost="{\"id\":\"fb-video\",\"text\":\"Behind the counter\",\"options\":{\"title\":\"At the counter\"},\"media\":[{\"path\":\"$video\",\"kind\":\"video\",\"mime_type\":\"video/mp4\",\"size_bytes\":$size}]}"
out=$(drive $A "$VCFG" --post-json "$vpost")
[[ $(field 'j["outcome"]' "$(last_line "$out")") == published ]] || fail "video: $out"
[[ $(wc -l <<<"$out") == 6 ]] || fail "session, four chunks and the publish are six steps: $out"
video_id=$(field 'j["remote_id"]' "$(last_line "$out")")
check_no_secrets "$out" "$FB_TOKEN"
offsets=$(curl -sS "${URL}_sandbox/requests?path=/v*/upload:*&method=POST" | python3 -c "import json,sys; print(' '.join(r['params']['file_offset'] + '+' + str(r['params']['body_bytes']) for r in json.load(sys.stdin)['requests']))")
[[ $offsets == "0+4096 4096+4096 8192+4096 12288+$((size - 12288))" ]] || fail "chunks: $offsets"
session=$(curl -sS "${URL}_sandbox/requests?path=/v*/herald-sandbox-client/uploads" | python3 -c "import json,sys; r=json.load(sys.stdin)['requests'][0]['params']; print(r['file_name'], r['file_length'], r['file_type'])")
[[ $session == "behind-the-counter.mp4 $size video/mp4" ]] || fail "session parameters: $session"
published=$(curl -sS "${URL}_sandbox/requests?path=/v*/$FB/videos&method=POST" | python3 -c "import json,sys; r=json.load(sys.stdin)['requests'][0]['params']; print(r['title'], '|', r['description'], '|', r['fbuploader_video_file_chunk'][:2])")
[[ $published == "At the counter | Behind the counter | 2:" ]] || fail "publish parameters: $published"
out=$(drive $A "$VCFG" --find --post-json "${vpost%\}},\"due_ms\":0}")
[[ $(field 'j["find"]' "$out") == found && $(field 'j["remote_id"]' "$out") == "$video_id" ]] || fail "find video: $out"

[[ $(sandbox_posts $FB) == 6 ]] || fail "expected 6 posts, got $(sandbox_posts $FB)"
attached=$(curl -sS "${URL}_sandbox/posts?account=$FB" | python3 -c "import json,sys; d=json.load(sys.stdin); print(len([p for p in d['accounts'][0]['posts'] if p.get('text') == 'Two photos'][0]['media']))")
[[ $attached == 2 ]] || fail "the multi-photo post holds $attached photos"

out=$(drive $A "$CFG" --find --post-json '{"id":"fb-text","text":"Fresh shirts, fresh week.","due_ms":0}')
[[ $(field 'j["find"]' "$out") == found && $(field 'j["remote_id"]' "$out") == "$text_id" ]] || fail "find: $out"
now=$(($(date +%s) * 1000))
out=$(drive $A "$CFG" --find --post-json "{\"id\":\"x\",\"text\":\"never posted\",\"due_ms\":$now}")
[[ $(field 'j["find"]' "$out") == not_found ]] || fail "find absent: $out"

out=$(drive $A "$CFG" --metrics "$text_id")
[[ $(field "sorted(j['metrics']['$text_id'].keys())" "$out") == "['comments', 'likes', 'shares']" ]] || fail "metrics: $out"
grep -q "$FB_TOKEN" "$WORK/requests.jsonl" && fail "token in the sandbox log"
echo PASS
