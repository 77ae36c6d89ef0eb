# Shared harness for the connectors' end-to-end scripts (sourced), on top of
# the sandbox's harness (which starts the real herald-sandbox on port 0).
#   bash tests/e2e/connector_x.sh HERALD_SANDBOX BUILD_DIR DRIVER PLUGIN_DIR
# Helpers:
#   serve_media              start a static file server on $WORK/www (sets MEDIA_URL)
#   write_creds REF k=v...   write $WORK/creds.yaml (mode 0600) for one account
#   drive PLATFORM/NAME CONFIG_JSON [driver args...]   run the connector driver
#   field EXPR LINE          evaluate a Python expression on one JSON line `j`
#   sandbox_posts ACCOUNT    how many posts the sandbox holds for an account
#   fault JSON               inject a fault (POST /_sandbox/faults)
source "$(dirname "${BASH_SOURCE[0]}")/sandbox_harness.sh"
DRIVER=${3:?driver binary}
PLUGIN_DIR=${4:?plugin directory}
MEDIA_PID=
stop_all() {
  if [[ -n $MEDIA_PID ]]; then kill "$MEDIA_PID" 2>/dev/null || true; wait "$MEDIA_PID" 2>/dev/null || true; fi
  stop_sandbox
}
trap stop_all EXIT

serve_media() {
  mkdir -p "$WORK/www"
  python3 -u -m http.server 0 --bind 127.0.0.1 --directory "$WORK/www" >"$WORK/http.log" 2>&1 &
  MEDIA_PID=$!
  poll 30 grep -q 'port' "$WORK/http.log" || fail "the media server did not start"
  MEDIA_URL="http://127.0.0.1:$(sed -n 's/.*port \([0-9]*\).*/\1/p' "$WORK/http.log" | head -1)"
}

write_creds() {
  local ref=$1; shift
  { echo "$ref:"; for kv in "$@"; do echo "  ${kv%%=*}: \"${kv#*=}\""; done; } >"$WORK/creds.yaml"
  chmod 600 "$WORK/creds.yaml"
}

drive() {
  local account=$1 config=$2; shift 2
  "$DRIVER" --plugin "$PLUGIN_DIR/herald_${account%%/*}.so" --account "$account" \
    --credentials "$WORK/creds.yaml" --api-base "${URL%/}" --config "$config" "$@"
}

field() { json_eval "$@"; }
last_line() { tail -n1 <<<"$1"; }

sandbox_posts() {
  json_eval "sum(len(x.get('posts', [])) for x in (j if isinstance(j, list) else j.get('accounts', [j])))" \
    "$(curl -sS "${URL}_sandbox/posts?account=$1")"
}

fault() {
  curl -sS -X POST -H 'Content-Type: application/json' -d "$1" "${URL}_sandbox/faults" >/dev/null
}

# No test output may carry a token.
check_no_secrets() {
  local text=$1; shift
  for s in "$@"; do [[ $text != *"$s"* ]] || fail "a secret leaked into the output"; done
}
