#!/usr/bin/env bash
# Memory during a large YouTube upload: the YouTube connector, run by
# herald_connector_driver (connector + host HTTP, the daemon's code path),
# uploads a SIZE_MB sparse file to herald-sandbox in its default 8 MiB chunks
# while this script samples the driver's VmRSS from /proc every 50 ms. The
# sandbox counts bytes and keeps none, and it is another process: only the
# driver is measured. Prints one JSON line:
#   {"bytes", "seconds", "chunks", "peak_rss_kb", "vm_hwm_kb", "start_rss_kb"}
#   bench/connectors/youtube_upload_memory.sh BUILD_DIR [SIZE_MB]
# BUILD_DIR has herald-sandbox, herald_connector_driver and herald_youtube built.
set -euo pipefail
B=${1:?usage: $0 BUILD_DIR [SIZE_MB]}
SIZE_MB=${2:-1024}
TOP=$(cd "$(dirname "$0")/../.." && pwd)
WORK=$(mktemp -d)
SANDBOX_PID=
DRIVER_PID=
cleanup() {
  [[ -n $DRIVER_PID ]] && kill "$DRIVER_PID" 2>/dev/null
  [[ -n $SANDBOX_PID ]] && kill "$SANDBOX_PID" 2>/dev/null && wait "$SANDBOX_PID" 2>/dev/null
  rm -rf "$WORK"
}
trap cleanup EXIT
"$B/sandbox/herald-sandbox" --config "$TOP/examples/sandbox.yaml" --listen 127.0.0.1:0 \
  >"$WORK/out" 2>"$WORK/err" &
SANDBOX_PID=$!
for _ in $(seq 1 100); do grep -q listening "$WORK/out" && break; sleep 0.1; done
URL=$(sed -n 's/^herald-sandbox listening on //p' "$WORK/out" | head -1)
truncate -s "${SIZE_MB}M" "$WORK/big.mp4"  # sparse: the disk holds nothing
far=$(( ($(date +%s) + 3600) * 1000 ))
cat >"$WORK/creds.yaml" <<CREDS
youtube/corner-cleaners-tv:
  access_token: "sandbox-yt-access-corner-cleaners-tv"
  refresh_token: "sandbox-yt-refresh-corner-cleaners-tv"
  client_id: "herald-sandbox-client"
  client_secret: "sandbox-client-secret"
  expires_at_ms: "$far"
CREDS
chmod 600 "$WORK/creds.yaml"
post="{\"id\":\"big\",\"text\":\"A long one.\",\"options\":{\"title\":\"One gigabyte\",\"privacy\":\"unlisted\"},\"media\":[{\"path\":\"$WORK/big.mp4\",\"kind\":\"video\",\"mime_type\":\"video/mp4\"}]}"
start=$(date +%s.%N)
"$B/plugins/herald_connector_driver" --plugin "$B/plugins/herald_youtube.so" \
  --account youtube/corner-cleaners-tv --credentials "$WORK/creds.yaml" --api-base "${URL%/}" \
  --config '{"channel_id":"UCcornerCleanersTV0000001"}' --post-json "$post" --max-steps 100000 \
  >"$WORK/steps" 2>"$WORK/driver.err" &
DRIVER_PID=$!
peak=0 hwm=0 first=0
while kill -0 "$DRIVER_PID" 2>/dev/null; do
  if status=$(cat "/proc/$DRIVER_PID/status" 2>/dev/null); then
    rss=$(awk '/^VmRSS:/ {print $2}' <<<"$status")
    h=$(awk '/^VmHWM:/ {print $2}' <<<"$status")
    [[ -n $rss ]] && { (( first == 0 )) && first=$rss; (( rss > peak )) && peak=$rss; }
    [[ -n $h ]] && (( h > hwm )) && hwm=$h
  fi
  sleep 0.05
done
wait "$DRIVER_PID" || { echo "driver failed: $(tail -3 "$WORK/driver.err")" >&2; exit 1; }
DRIVER_PID=
end=$(date +%s.%N)
tail -1 "$WORK/steps" | grep -q '"outcome":"published"' ||
  { echo "not published: $(tail -1 "$WORK/steps")" >&2; exit 1; }
printf '{"bytes":%d,"seconds":%.1f,"chunks":%d,"peak_rss_kb":%d,"vm_hwm_kb":%d,"start_rss_kb":%d}\n' \
  $((SIZE_MB * 1024 * 1024)) "$(echo "$end - $start" | bc)" "$(wc -l <"$WORK/steps")" "$peak" "$hwm" "$first"
