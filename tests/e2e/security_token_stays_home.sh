# The audit's outbound attacks on the connectors: an answer that names where
# the next request goes (YouTube's upload Location, a Facebook upload session
# id, an Instagram container id) never leads the account's token away from
# the API it belongs to. A forged answer (the sandbox's `forge` fault: what a
# hostile server or a hijacked connection says) points at a catcher server on
# another port, at another scheme, through user info, or at another Graph
# endpoint; each fails the job with a clear reason, the catcher receives
# nothing, and the sandbox receives nothing after the forged answer.
#   security_token_stays_home.sh HERALD_SANDBOX BUILD_DIR DRIVER PLUGIN_DIR
source "$(dirname "$0")/lib/connector_harness.sh"
start_sandbox
SPORT=$(sed -E 's|^http://127\.0\.0\.1:([0-9]+)/?$|\1|' <<<"$URL")
python3 "$(dirname "$0")/lib/catcher.py" "$WORK/caught.jsonl" >"$WORK/catcher.port" &
CATCHER_PID=$!
stop_catcher() { kill "$CATCHER_PID" 2>/dev/null || true; wait "$CATCHER_PID" 2>/dev/null || true; stop_all; }
trap stop_catcher EXIT
for _ in $(seq 1 100); do [[ -s $WORK/catcher.port ]] && break; sleep 0.05; done
CPORT=$(head -1 "$WORK/catcher.port")
[[ -n $CPORT ]] || fail "the catcher did not start"
due=$(($(date +%s) * 1000))
logged() { wc -l <"$WORK/requests.jsonl"; }
nothing_caught() { [[ ! -s $WORK/caught.jsonl ]] || fail "$1: the token left: $(cat "$WORK/caught.jsonl")"; }
failed_with() {  # OUTPUT WORDS: the last step failed, its reason says WORDS
  local o r
  o=$(field 'j.get("outcome")' "$(last_line "$1")")
  r=$(field 'j.get("reason","")' "$(last_line "$1")")
  [[ $o == failed && $r == *"$2"* ]] || fail "expected a failure saying '$2': $1"
}

# --- YouTube: the upload-start answer's Location.
far=$(( ($(date +%s) + 3600) * 1000 ))
write_creds youtube/corner-cleaners-tv access_token=$YT_TOKEN refresh_token=sandbox-yt-refresh-corner-cleaners-tv \
  client_id=herald-sandbox-client client_secret=sandbox-client-secret expires_at_ms=$far
python3 -c "import sys; sys.stdout.buffer.write(b'\x00\x00\x00\x18ftypmp42\x00\x00\x00\x00mp42isom' + bytes(300000))" >"$WORK/v.mp4"
YCFG='{"privacy":"unlisted","chunk_bytes":262144}'
ypost="{\"id\":\"y\",\"text\":\"t\",\"due_ms\":$due,\"options\":{\"title\":\"Spirit\"},\"media\":[{\"path\":\"$WORK/v.mp4\",\"kind\":\"video\",\"mime_type\":\"video/mp4\"}]}"
for location in \
  "http://127.0.0.1:$CPORT/upload/youtube/v3/videos?upload_id=stolen" \
  "http://127.0.0.1:$SPORT@127.0.0.1:$CPORT/upload/youtube/v3/videos?upload_id=stolen" \
  "//127.0.0.1:$CPORT/upload/youtube/v3/videos?upload_id=stolen" \
  "https://127.0.0.1:$SPORT/upload/youtube/v3/videos?upload_id=stolen" \
  "http://localhost:$CPORT/upload?upload_id=stolen" \
  "http://127.0.0.1:$SPORT\\@127.0.0.1:$CPORT/upload?upload_id=stolen" \
  "upload?upload_id=stolen"; do
  fault "$(python3 -c 'import json,sys; print(json.dumps({"kind":"forge","status":200,"path":"/upload/youtube/v3/videos","method":"POST","location":sys.argv[1]}))' "$location")"
  before=$(logged)
  out=$(drive youtube/corner-cleaners-tv "$YCFG" --post-json "$ypost")
  failed_with "$out" "herald sends the channel's token only there"
  nothing_caught "Location $location"
  [[ $(logged) == $((before + 1)) ]] || fail "Location $location: a request followed the forged answer"
done
check_no_secrets "$out" "$YT_TOKEN" sandbox-yt-refresh-corner-cleaners-tv sandbox-client-secret
# A checkpoint that names a foreign upload URL (a journal written before the
# account's api_base changed, or tampered with) is refused before sending.
out=$(drive youtube/corner-cleaners-tv "$YCFG" --post-json "$ypost" \
  --checkpoint "v1:ph=upload&u=$(python3 -c 'import urllib.parse,sys; print(urllib.parse.quote(sys.argv[1], safe=""))' "http://127.0.0.1:$CPORT/upload?upload_id=x")&o=0&i=other")
failed_with "$out" "refusing to send the channel's access token to http://127.0.0.1:$CPORT"
nothing_caught "a foreign checkpoint URL"
# The genuine flow still publishes (the Location is on the API's origin).
out=$(drive youtube/corner-cleaners-tv "$YCFG" --post-json "$ypost")
[[ $(field 'j["outcome"]' "$(last_line "$out")") == published ]] || fail "genuine upload: $out"

# --- Facebook video: the upload session id goes into the path of the chunks.
write_creds facebook/corner-cleaners access_token=$FB_TOKEN
video="$TOP/examples/calendars/media/behind-the-counter.mp4"
size=$(stat -c %s "$video")
FCFG="{\"page_id\":\"$FB\",\"app_id\":\"herald-sandbox-client\",\"chunk_bytes\":4096}"
fpost="{\"id\":\"f\",\"text\":\"v\",\"due_ms\":$due,\"media\":[{\"path\":\"$video\",\"kind\":\"video\",\"mime_type\":\"video/mp4\",\"size_bytes\":$size}]}"
for session in "upload:x/../../$FB/feed" "upload:x/../../../steal" "upload:x#frag" "upload:x?sig=a#b" \
  "upload:x/./y" "upload:x?sig=a?b" "upload: x" "upload:x/"; do
  fault "$(python3 -c 'import json,sys; print(json.dumps({"kind":"forge","status":200,"path":"/v*/herald-sandbox-client/uploads","method":"POST","body":json.dumps({"id":sys.argv[1]})}))' "$session")"
  before=$(logged)
  out=$(drive facebook/corner-cleaners "$FCFG" --post-json "$fpost")
  failed_with "$out" "not a Graph path"
  [[ $(logged) == $((before + 1)) ]] || fail "session $session: a request followed the forged answer"
done
check_no_secrets "$out" "$FB_TOKEN"

# --- Instagram: the container id from the create answer is polled with the token.
write_creds instagram/corner-cleaners access_token=$IG_TOKEN
serve_media
printf '\xff\xd8\xff\xe0fakejpeg' >"$WORK/www/a.jpg"
ICFG="{\"ig_user_id\":\"$IG\"}"
ipost="{\"id\":\"i\",\"text\":\"Game day\",\"due_ms\":$due,\"media\":[{\"path\":\"$WORK/www/a.jpg\",\"kind\":\"image\",\"mime_type\":\"image/jpeg\",\"public_url\":\"$MEDIA_URL/a.jpg\"}]}"
for id in "../../me/accounts" "1/../../$IG/media_publish" "1?fields=access_token" "1#x"; do
  fault "$(python3 -c 'import json,sys; print(json.dumps({"kind":"forge","status":200,"path":"/v*/*/media","method":"POST","body":json.dumps({"id":sys.argv[1]})}))' "$id")"
  before=$(logged)
  out=$(drive instagram/corner-cleaners "$ICFG" --post-json "$ipost")
  failed_with "$out" "not a Graph node path"
  # The publishing-limit check and the forged create; nothing after them.
  [[ $(logged) == $((before + 2)) ]] || fail "container id $id: a request followed the forged answer"
done
check_no_secrets "$out" "$IG_TOKEN"
nothing_caught "the whole run"
echo PASS
