#!/usr/bin/env bash
# CPU per published text post through a connector plugin: connector + host
# HTTP (libcurl, keep-alive to the sandbox), measured by the driver with
# getrusage over POSTS posts (the sandbox's own CPU is another process and
# not counted). Prints one JSON line per run.
#   bench/connectors/run.sh BUILD_DIR [RUNS] [POSTS]
# BUILD_DIR is a Release build with herald-sandbox, herald_connector_driver
# and the plugins built (ninja herald-sandbox herald_connector_driver herald_facebook).
set -euo pipefail
B=${1:?usage: $0 BUILD_DIR [RUNS] [POSTS]}
RUNS=${2:-5}
POSTS=${3:-2000}
TOP=$(cd "$(dirname "$0")/../.." && pwd)
WORK=$(mktemp -d)
"$B/sandbox/herald-sandbox" --config "$TOP/examples/sandbox.yaml" --listen 127.0.0.1:0 >"$WORK/out" 2>"$WORK/err" &
PID=$!
trap 'kill $PID 2>/dev/null; wait $PID 2>/dev/null; rm -rf "$WORK"' EXIT
for _ in $(seq 1 100); do grep -q listening "$WORK/out" && break; sleep 0.1; done
URL=$(sed -n 's/^herald-sandbox listening on //p' "$WORK/out" | head -1)
printf 'facebook/corner-cleaners:\n  access_token: "sandbox-fb-corner-cleaners"\n' >"$WORK/creds.yaml"
chmod 600 "$WORK/creds.yaml"
for _ in $(seq 1 "$RUNS"); do
  "$B/plugins/herald_connector_driver" --plugin "$B/plugins/herald_facebook.so" \
    --account facebook/corner-cleaners --credentials "$WORK/creds.yaml" --api-base "${URL%/}" \
    --config '{"page_id":"104000000000001"}' --post-json '{"id":"bench","text":"Fresh shirts, fresh week."}' \
    --repeat "$POSTS"
done
