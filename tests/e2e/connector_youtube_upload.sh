# YouTube connector against the sandbox: resumable upload in 256 KiB chunks
# from a file range with a custom thumbnail; a kill mid-upload resumes after a
# status query from the acknowledged offset (one video, every byte once in the
# end); a connection dropped mid-chunk recovers; find and metrics read it back.
source "$(dirname "$0")/lib/connector_harness.sh"
YT=UCcornerCleanersTV0000001
start_sandbox
{ printf '\x00\x00\x00\x18ftypmp42\x00\x00\x00\x00mp42isom'; head -c 1150000 /dev/zero; } >"$WORK/v.mp4"
printf '\x89PNG\r\n\x1a\n0000fakepng' >"$WORK/cover.png"
SIZE=$(stat -c %s "$WORK/v.mp4")
far=$(( ($(date +%s) + 3600) * 1000 ))
write_creds youtube/corner-cleaners-tv access_token=$YT_TOKEN refresh_token=sandbox-yt-refresh-corner-cleaners-tv \
  client_id=herald-sandbox-client client_secret=sandbox-client-secret expires_at_ms=$far
CFG="{\"channel_id\":\"$YT\",\"privacy\":\"unlisted\",\"chunk_bytes\":262144}"
A=youtube/corner-cleaners-tv
post() { echo "{\"id\":\"$1\",\"text\":\"Show us your team spirit.\",\"due_ms\":$due,\"options\":{\"title\":\"$2\",\"tags\":[\"dry cleaning\"],\"privacy\":\"public\"},\"media\":[{\"path\":\"$WORK/v.mp4\",\"kind\":\"video\",\"mime_type\":\"video/mp4\",\"cover\":\"$WORK/cover.png\"}]}"; }
due=$(($(date +%s) * 1000))

out=$(drive $A "$CFG" --post-json "$(post y1 'Behind the counter')")
[[ $(field 'j["outcome"]' "$(last_line "$out")") == published ]] || fail "upload: $out"
[[ $(wc -l <<<"$out") == 7 ]] || fail "start + 5 chunks + thumbnail = 7 steps: $out"
vid=$(field 'j["remote_id"]' "$(last_line "$out")")
[[ $(curl -sS -o /dev/null -w '%{http_code}' "${URL}_sandbox/thumbnails/$vid") == 200 ]] || fail "no thumbnail"
bytes=$(json_eval 'j["accounts"][0]["posts"][0]["bytes"]' "$(curl -sS "${URL}_sandbox/posts?account=$YT")")
[[ $bytes == "$SIZE" ]] || fail "uploaded $bytes of $SIZE bytes"
check_no_secrets "$out" "$YT_TOKEN" sandbox-yt-refresh-corner-cleaners-tv sandbox-client-secret

# Killed after the session and two chunks; a new process asks where the upload stands.
out=$(drive $A "$CFG" --post-json "$(post y2 'Resumed upload')" --max-steps 3)
cp=$(field 'j["checkpoint"]' "$(last_line "$out")")
[[ $cp == *o=524288* ]] || fail "checkpoint after two chunks: $cp"
out=$(drive $A "$CFG" --post-json "$(post y2 'Resumed upload')" --checkpoint "$cp")
[[ $(field 'j["outcome"]' "$(last_line "$out")") == published ]] || fail "resume: $out"
queries=$(grep -c '"Content-Range":"bytes \*/' "$WORK/requests.jsonl" || true)
(( queries >= 1 )) || fail "the resume did not query the session"
[[ $(sandbox_posts $YT) == 2 ]] || fail "two videos expected"

# The connection drops in the middle of a chunk: query, then go on.
fault '{"kind":"upload_break","path":"/upload/youtube/v3/videos","method":"PUT"}'
out=$(drive $A "$CFG" --post-json "$(post y3 'Broken chunk')")
[[ $(field 'j["outcome"]' "$(last_line "$out")") == published ]] || fail "upload_break: $out"
[[ $(sandbox_posts $YT) == 3 ]] || fail "three videos expected"

out=$(drive $A "$CFG" --find --post-json "$(post y1 'Behind the counter')")
[[ $(field 'j["find"]' "$out") == found && $(field 'j["remote_id"]' "$out") == "$vid" ]] || fail "find: $out"
out=$(drive $A "$CFG" --find --post-json "$(post y9 'Never uploaded')")
[[ $(field 'j["find"]' "$out") == not_found ]] || fail "find absent: $out"
fault '{"kind":"status","status":500,"path":"/youtube/v3/playlistItems"}'
out=$(drive $A "$CFG" --find --post-json "$(post y9 'Never uploaded')")
[[ $(field 'j["find"]' "$out") == cannot_tell ]] || fail "find cannot tell: $out"
out=$(drive $A "$CFG" --metrics "$vid")
[[ $(field "sorted(j['metrics']['$vid'].keys())" "$out") == "['comments', 'likes', 'views']" ]] || fail "metrics: $out"
echo PASS
