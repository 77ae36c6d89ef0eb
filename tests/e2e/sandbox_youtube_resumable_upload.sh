# YouTube resumable upload: Location, 308 + Range, status query, final 200,
# then videos.list statistics and the uploads playlist; token refresh.
source "$(dirname "$0")/lib/sandbox_harness.sh"
start_sandbox
out=$(req POST /token -d grant_type=refresh_token -d refresh_token=sandbox-yt-refresh-corner-cleaners-tv -d client_id=herald-sandbox-client -d client_secret=sandbox-client-secret)
expect_status 200 "$out"; tok=$(json 'j["access_token"]' "$out")
headers=$(curl -sS -D - -o /dev/null -X POST "${URL}upload/youtube/v3/videos?uploadType=resumable&part=snippet,status" \
  -H "Authorization: Bearer $tok" -H 'Content-Type: application/json' -H 'X-Upload-Content-Length: 300000' \
  -d '{"snippet":{"title":"Fan video contest"},"status":{"privacyStatus":"public"}}')
loc=$(sed -n 's/^Location: \(.*\)\r$/\1/ip' <<<"$headers"); [[ -n $loc ]] || fail "$headers"
head -c 262144 /dev/zero >"$WORK/c1"; head -c 37856 /dev/zero >"$WORK/c2"
h=$(curl -sS -D - -o /dev/null -X PUT "$loc" -H 'Content-Range: bytes 0-262143/300000' --data-binary @"$WORK/c1")
grep -q '^HTTP/1.1 308' <<<"$h" || fail "$h"; grep -qi '^Range: bytes=0-262143' <<<"$h" || fail "$h"
h=$(curl -sS -D - -o /dev/null -X PUT "$loc" -H 'Content-Range: bytes */300000')
grep -q '^HTTP/1.1 308' <<<"$h" || fail "$h"
out=$(curl -sS -w '\n%{http_code}' -X PUT "$loc" -H 'Content-Range: bytes 262144-299999/300000' --data-binary @"$WORK/c2")
expect_status 200 "$out"; vid=$(json 'j["id"]' "$out")
out=$(req GET "/youtube/v3/videos?part=statistics,snippet&id=$vid" -H "Authorization: Bearer $tok")
[[ $(json 'j["items"][0]["snippet"]["title"]' "$out") == "Fan video contest" ]] || fail "$out"
out=$(req GET "/youtube/v3/channels?part=contentDetails&mine=true" -H "Authorization: Bearer $tok")
pl=$(json 'j["items"][0]["contentDetails"]["relatedPlaylists"]["uploads"]' "$out")
out=$(req GET "/youtube/v3/playlistItems?part=contentDetails&playlistId=$pl" -H "Authorization: Bearer $tok")
[[ $(json 'j["items"][0]["contentDetails"]["videoId"]' "$out") == "$vid" ]] || fail "$out"
out=$(req GET "/youtube/v3/videos?part=statistics&id=$vid" -H "Authorization: Bearer wrong"); expect_status 401 "$out"
[[ $(json 'j["error"]["errors"][0]["reason"]' "$out") == authError ]] || fail "$out"
echo PASS
