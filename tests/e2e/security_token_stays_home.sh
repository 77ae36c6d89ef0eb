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
start_catcher
due=$(($(date +%s) * 1000))
logged() { wc -l <"$WORK/requests.jsonl"; }
nothing_caught() { [[ ! -s $WORK/caught.jsonl ]] || fail "$1: the token left: $(cat "$WORK/caught.jsonl")"; }
# ended OUTPUT OUTCOME WORDS: the last step must end in OUTCOME, its reason
# saying WORDS; recorded here and checked by one Python at the end (a loaded
# machine starts each process slowly).
ended() { printf '%s\t%s\t%s\n' "$2" "$3" "$(last_line "$1")" >>"$WORK/ends.tsv"; }
check_ends() {
  python3 - "$WORK/ends.tsv" <<'PY' || fail "the outcomes above"
import json, sys
bad = 0
for line in open(sys.argv[1]):
    outcome, words, last = line.rstrip("\n").split("\t", 2)
    try:
        j = json.loads(last)
    except ValueError:
        j = {}
    if j.get("outcome") != outcome or words not in (j.get("reason") or j.get("url") or ""):
        print(f"FAIL: expected {outcome} saying '{words}': {last}", file=sys.stderr)
        bad = 1
sys.exit(bad)
PY
}

# --- YouTube: the upload-start answer's Location.
far=$(( ($(date +%s) + 3600) * 1000 ))
write_creds youtube/corner-cleaners-tv access_token=$YT_TOKEN refresh_token=sandbox-yt-refresh-corner-cleaners-tv \
  client_id=herald-sandbox-client client_secret=sandbox-client-secret expires_at_ms=$far
{ printf '\x00\x00\x00\x18ftypmp42\x00\x00\x00\x00mp42isom'; head -c 300000 /dev/zero; } >"$WORK/v.mp4"
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
  fault "{\"kind\":\"forge\",\"status\":200,\"path\":\"/upload/youtube/v3/videos\",\"method\":\"POST\",\"location\":$(jstr "$location")}"
  before=$(logged)
  out=$(drive youtube/corner-cleaners-tv "$YCFG" --post-json "$ypost")
  ended "$out" failed "herald sends the channel's token only there"
  nothing_caught "Location $location"
  [[ $(logged) == $((before + 1)) ]] || fail "Location $location: a request followed the forged answer"
done
check_no_secrets "$out" "$YT_TOKEN" sandbox-yt-refresh-corner-cleaners-tv sandbox-client-secret
# A checkpoint that names a foreign upload URL (a journal written before the
# account's api_base changed, or tampered with) is refused before sending.
out=$(drive youtube/corner-cleaners-tv "$YCFG" --post-json "$ypost" \
  --checkpoint "v1:ph=upload&u=http%3A%2F%2F127.0.0.1%3A$CPORT%2Fupload%3Fupload_id%3Dx&o=0&i=other")
ended "$out" failed "refusing to send the channel's access token to http://127.0.0.1:$CPORT"
nothing_caught "a foreign checkpoint URL"
# The genuine flow still publishes (the Location is on the API's origin).
out=$(drive youtube/corner-cleaners-tv "$YCFG" --post-json "$ypost")
ended "$out" published "https://www.youtube.com/watch?v="

# --- Facebook video: the upload session id goes into the path of the chunks.
write_creds facebook/corner-cleaners access_token=$FB_TOKEN
video="$TOP/examples/calendars/media/behind-the-counter.mp4"
size=$(stat -c %s "$video")
FCFG="{\"page_id\":\"$FB\",\"app_id\":\"herald-sandbox-client\",\"chunk_bytes\":4096}"
fpost="{\"id\":\"f\",\"text\":\"v\",\"due_ms\":$due,\"media\":[{\"path\":\"$video\",\"kind\":\"video\",\"mime_type\":\"video/mp4\",\"size_bytes\":$size}]}"
for session in "upload:x/../../$FB/feed" "upload:x/../../../steal" "upload:x#frag" "upload:x?sig=a#b" \
  "upload:x/./y" "upload:x?sig=a?b" "upload: x" "upload:x/"; do
  fault "{\"kind\":\"forge\",\"status\":200,\"path\":\"/v*/herald-sandbox-client/uploads\",\"method\":\"POST\",\"body\":$(jstr "{\"id\":$(jstr "$session")}")}"
  before=$(logged)
  out=$(drive facebook/corner-cleaners "$FCFG" --post-json "$fpost")
  ended "$out" failed "not a Graph path"
  [[ $(logged) == $((before + 1)) ]] || fail "session $session: a request followed the forged answer"
done
check_no_secrets "$out" "$FB_TOKEN"

# --- Instagram (Facebook Login, then Instagram Login): the container id from
# the create answer is polled with the token.
write_creds instagram/corner-cleaners access_token=$IG_TOKEN
serve_media
printf '\xff\xd8\xff\xe0fakejpeg' >"$WORK/www/a.jpg"
ICFG="{\"ig_user_id\":\"$IG\"}"
ipost="{\"id\":\"i\",\"text\":\"Game day\",\"due_ms\":$due,\"media\":[{\"path\":\"$WORK/www/a.jpg\",\"kind\":\"image\",\"mime_type\":\"image/jpeg\",\"public_url\":\"$MEDIA_URL/a.jpg\"}]}"
for id in "../../me/accounts" "1/../../$IG/media_publish" "1?fields=access_token" "1#x"; do
  fault "{\"kind\":\"forge\",\"status\":200,\"path\":\"/v*/*/media\",\"method\":\"POST\",\"body\":$(jstr "{\"id\":$(jstr "$id")}")}"
  before=$(logged)
  out=$(drive instagram/corner-cleaners "$ICFG" --post-json "$ipost")
  ended "$out" failed "not a Graph node path"
  # The publishing-limit check and the forged create; nothing after them.
  [[ $(logged) == $((before + 2)) ]] || fail "container id $id: a request followed the forged answer"
done
check_no_secrets "$out" "$IG_TOKEN"
# The same with Instagram Login (graph.instagram.com's flow, an Instagram user token).
IGL_TOKEN=sandbox-igl-corner-cleaners
write_creds instagram/corner-cleaners access_token=$IGL_TOKEN expires_at_ms=$((due + 50 * 86400000))
for id in "../../me" "1/../../$IG/media_publish"; do
  fault "{\"kind\":\"forge\",\"status\":200,\"path\":\"/v*/*/media\",\"method\":\"POST\",\"body\":$(jstr "{\"id\":$(jstr "$id")}")}"
  before=$(logged)
  out=$(drive instagram/corner-cleaners "{\"ig_user_id\":\"$IG\",\"login\":\"instagram\"}" --post-json "$ipost")
  ended "$out" failed "not a Graph node path"
  [[ $(logged) == $((before + 2)) ]] || fail "Instagram Login, container id $id: a request followed the forged answer"
done
check_no_secrets "$out" "$IGL_TOKEN"
nothing_caught "the whole run"
check_ends
echo PASS
