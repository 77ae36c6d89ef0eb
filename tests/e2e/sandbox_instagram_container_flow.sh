# Instagram: container downloads image_url (served by the sandbox itself would
# not be JPEG, so a python http.server serves a JPEG), IN_PROGRESS -> FINISHED,
# media_publish, /media; a non-image URL fails with 2207005/2207052.
# Publishing too early must be refused; that holds only if the refusal came
# within the container's window (WINDOW_S), which this script measures, trying
# a fresh container when a loaded machine took longer.
source "$(dirname "$0")/lib/sandbox_harness.sh"
mkdir -p "$WORK/www"; printf '\xff\xd8\xff\xe0fakejpeg' >"$WORK/www/a.jpg"; echo text >"$WORK/www/a.txt"
python3 -u -m http.server 0 --bind 127.0.0.1 --directory "$WORK/www" >"$WORK/http.log" 2>&1 &
HTTP_PID=$!
trap 'kill $HTTP_PID 2>/dev/null; stop_sandbox' EXIT
poll 30 grep -q 'port' "$WORK/http.log" || fail "the media server did not start"
PORT=$(sed -n 's/.*port \([0-9]*\).*/\1/p' "$WORK/http.log" | head -1)
WINDOW_S=2
cat >"$WORK/c.yaml" <<YAML
processing: {instagram_container_seconds: $WINDOW_S}
accounts:
  - {platform: instagram, id: "$IG", name: corner-cleaners, tokens: [$IG_TOKEN]}
YAML
SANDBOX_CONFIG=$WORK/c.yaml start_sandbox
now_ms() { echo $(( ${EPOCHREALTIME/./} / 1000 )); }
# early_publish_refused: a new container, published at once; 0 when refused as
# not ready, 1 when the answer came too late to tell, fails on anything else.
early_publish_refused() {
  local t0 elapsed
  t0=$(now_ms)
  out=$(req POST "/v21.0/$IG/media" -d "image_url=http://127.0.0.1:$PORT/a.jpg" -d "caption=Go Tigers" -d access_token=$IG_TOKEN)
  expect_status 200 "$out"; cid=$(json 'j["id"]' "$out")
  out=$(req POST "/v21.0/$IG/media_publish" -d creation_id=$cid -d access_token=$IG_TOKEN)
  elapsed=$(( $(now_ms) - t0 ))
  if (( elapsed < WINDOW_S * 1000 )); then
    expect_status 400 "$out"; [[ $(json 'j["error"]["error_subcode"]' "$out") == 2207027 ]] || fail "$out"
    return 0
  fi
  echo "the early publish took ${elapsed} ms, past the ${WINDOW_S} s window: once more" >&2
  return 1
}
tries=0
until early_publish_refused; do
  (( ++tries < 5 )) || fail "five early publishes each took longer than the ${WINDOW_S} s window"
done
finished() {
  out=$(req GET "/v21.0/$cid?fields=status_code&access_token=$IG_TOKEN")
  [[ $(json 'j["status_code"]' "$out") == FINISHED ]]
}
poll 20 finished || fail "the container never finished: $out"
out=$(req POST "/v21.0/$IG/media_publish" -d creation_id=$cid -d access_token=$IG_TOKEN); expect_status 200 "$out"
out=$(req GET "/v21.0/$IG/media?fields=id,caption&access_token=$IG_TOKEN")
[[ $(json 'j["data"][0]["caption"]' "$out") == "Go Tigers" ]] || fail "$out"
out=$(req POST "/v21.0/$IG/media" -d "image_url=http://127.0.0.1:$PORT/a.txt" -d access_token=$IG_TOKEN)
expect_status 400 "$out"; [[ $(json 'j["error"]["error_subcode"]' "$out") == 2207005 ]] || fail "$out"
out=$(req POST "/v21.0/$IG/media" -d "image_url=http://127.0.0.1:$PORT/missing.jpg" -d access_token=$IG_TOKEN)
expect_status 400 "$out"; [[ $(json 'j["error"]["error_subcode"]' "$out") == 2207052 ]] || fail "$out"
echo PASS
