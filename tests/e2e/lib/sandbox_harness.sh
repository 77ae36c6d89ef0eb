# Shared harness for the herald-sandbox end-to-end scripts (sourced).
#   bash tests/e2e/sandbox_x.sh PATH/TO/herald-sandbox BUILD_DIR
# Starts the real binary on port 0 with the example accounts, waits for its
# URL line, and always stops it on exit. Helpers: post, get, expect.
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/json_eval.sh"
source "$(dirname "${BASH_SOURCE[0]}")/poll.sh"
SANDBOX_BIN=${1:?usage: $0 herald-sandbox-binary [build-dir]}
BUILD_DIR=${2:-$(mktemp -d)}
TOP=$(cd "$(dirname "${BASH_SOURCE[0]}")/../../.." && pwd)
WORK=$(mktemp -d)
SANDBOX_PID=
CATCHER_PID=
stop_sandbox() {
  if [[ -n $CATCHER_PID ]]; then kill "$CATCHER_PID" 2>/dev/null || true; wait "$CATCHER_PID" 2>/dev/null || true; fi
  if [[ -n $SANDBOX_PID ]]; then kill "$SANDBOX_PID" 2>/dev/null || true; wait "$SANDBOX_PID" 2>/dev/null || true; fi
  rm -rf "$WORK"
}
trap stop_sandbox EXIT
fail() { echo "FAIL: $*" >&2; exit 1; }

# start_sandbox [extra args...]: sets URL (with trailing slash).
start_sandbox() {
  "$SANDBOX_BIN" --config "${SANDBOX_CONFIG:-$TOP/examples/sandbox.yaml}" --listen 127.0.0.1:0 \
    --log "$WORK/requests.jsonl" "$@" >"$WORK/stdout" 2>"$WORK/stderr" &
  SANDBOX_PID=$!
  poll 30 sandbox_listening || true
  URL=$(sed -n 's/^herald-sandbox listening on //p' "$WORK/stdout" | head -1)
  [[ -n $URL ]] || fail "no URL line"
}

# jstr TEXT: TEXT as a JSON string (for printable ASCII texts, without a process).
jstr() { local s=${1//\\/\\\\}; printf '"%s"' "${s//\"/\\\"}"; }

# start_catcher (after start_sandbox): an attacker's server (lib/catcher.py)
# on another loopback port, logging to $WORK/caught.jsonl; sets CPORT (its
# port) and SPORT (the sandbox's). stop_sandbox stops it.
start_catcher() {
  SPORT=$(sed -E 's|^http://127\.0\.0\.1:([0-9]+)/?$|\1|' <<<"$URL")
  python3 "$(dirname "${BASH_SOURCE[0]}")/catcher.py" "$WORK/caught.jsonl" >"$WORK/catcher.port" &
  CATCHER_PID=$!
  poll 20 test -s "$WORK/catcher.port" || true
  CPORT=$(head -1 "$WORK/catcher.port")
  [[ -n $CPORT ]] || fail "the catcher did not start"
}

FB=104000000000001; FB_TOKEN=sandbox-fb-corner-cleaners
IG=17841400000000001; IG_TOKEN=sandbox-ig-corner-cleaners
YT_TOKEN=sandbox-yt-access-corner-cleaners-tv

sandbox_listening() {
  grep -q '^herald-sandbox listening on ' "$WORK/stdout" && return 0
  kill -0 "$SANDBOX_PID" 2>/dev/null || fail "sandbox exited: $(cat "$WORK/stderr")"
  return 1
}

# req METHOD PATH [curl args...]: prints the body, then the status on the last line.
req() { local m=$1 p=$2; shift 2; curl -sS -X "$m" -w '\n%{http_code}' "$URL${p#/}" "$@"; }
# expect_status CODE OUTPUT_OF_req
expect_status() { [[ $(tail -n1 <<<"$2") == "$1" ]] || fail "expected HTTP $1, got: $2"; }
body() { sed '$d' <<<"$1"; }
# json EXPR OUTPUT: evaluates a Python expression on the JSON body `j`.
json() { json_eval "$1" "$(body "$2")"; }
