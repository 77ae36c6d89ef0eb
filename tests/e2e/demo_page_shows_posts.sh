#!/usr/bin/env bash
# The README's first command, end to end: scripts/demo (with its posts brought
# forward) publishes the example calendar through heraldd and the Facebook,
# Instagram and YouTube connectors to the sandbox, whose page then shows the
# personalized posts (asserted on the DOM in headless Chromium). Keeps a
# screenshot, BUILD_DIR/demo-page.png, for a person to look at.
#   demo_page_shows_posts.sh BUILD_DIR
set -euo pipefail
source "$(dirname "$0")/lib/json_eval.sh"
source "$(dirname "$0")/lib/poll.sh"
build=$(cd "$1" && pwd)
run="$build/demo-run"  # where scripts/demo keeps its state: the build directory, not the checkout
top=$(cd "$(dirname "$0")/../.." && pwd)
# The demo's sandbox and media server take PORT and PORT+1: both below the
# kernel's ephemeral range (ip_local_port_range, from 32768 here), where a
# parallel test's outgoing connection could hold one.
low=$(cut -f1 /proc/sys/net/ipv4/ip_local_port_range 2>/dev/null || echo 32768)
port=$(( 20000 + RANDOM % (low - 20002) ))
work=$(mktemp -d)
demo_pid=""
cleanup() {
  if [[ -n $demo_pid ]]; then
    kill -TERM "$demo_pid" 2>/dev/null || true
    wait "$demo_pid" 2>/dev/null || { echo "FAIL: the demo did not stop cleanly"; rm -rf "$work"; exit 1; }
  fi
  rm -rf "$work"
}
trap cleanup EXIT
fail() {
  echo "FAIL: $*"
  tail -n 30 "$work/demo.out" || true
  tail -n 30 "$run/heraldd.log" 2>/dev/null || true
  exit 1
}
command -v chromium >/dev/null || fail "chromium is not installed (scripts/debian-packages.txt)"

HERALD_BUILD=$build setsid "$top/scripts/demo" --port "$port" --soon >"$work/demo.out" 2>&1 &
demo_pid=$!
poll 60 grep -q "herald is running" "$work/demo.out" || fail "the demo did not start"
url="http://127.0.0.1:$port"

# Every post settled: twelve published, nothing pending, running or unknown.
status() { curl -s --unix-socket "$run/herald.sock" http://herald/v1/status; }
settled() {
  [[ $(json_eval 'j["jobs"]["published"] == 12 and j["jobs"]["pending"] + j["jobs"]["running"] + j["jobs"]["unknown"] == 0' \
         "$(status)" 2>/dev/null) == True ]]
}
poll 60 settled || fail "not all 12 posts settled as published: $(status)"

chrome() {
  timeout 60 chromium --headless --no-sandbox --disable-gpu --disable-background-networking \
    --disable-component-update --disable-sync --no-first-run --user-data-dir="$(mktemp -d -p "$work")" \
    --virtual-time-budget=5000 "$@" 2>/dev/null
}
chrome --dump-dom "$url/" >"$work/dom.html"
for text in "Big day, Ana!" "Big day, Marcus!" "Go Cubs! Ana" "Tuesday tip from the counter" \
            "Behind the counter at Corner Cleaners" "Before and after" "15 seconds behind our counter"; do
  grep -qF "$text" "$work/dom.html" || fail "the page does not show \"$text\""
done
chrome --screenshot="$build/demo-page.png" --window-size=1280,1400 "$url/" >/dev/null
[[ -s $build/demo-page.png ]] || fail "no screenshot"

# Each post exactly once on the platforms: 4 + 1 on the page, 4 + 2 on Instagram, 1 video.
posts=$(curl -s "$url/_sandbox/posts")
for text in "Big day, Ana!" "Tuesday tip from the counter"; do
  n=$(grep -oF "$text" <<<"$posts" | wc -l)
  [[ $n -eq 1 ]] || fail "\"$text\" is on the sandbox $n times"
done
echo "ok (screenshot: $build/demo-page.png)"
