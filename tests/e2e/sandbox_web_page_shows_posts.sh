# The web page at / shows published posts (asserted on the DOM headless
# Chromium builds after running the page's script) and keeps a screenshot,
# BUILD_DIR/sandbox-page.png, for a person to look at.
source "$(dirname "$0")/lib/sandbox_harness.sh"
command -v chromium >/dev/null || fail "chromium is not installed (scripts/debian-packages.txt)"
start_sandbox
req POST "/v21.0/$FB/feed" -d "message=Your Tigers jersey is pressed and ready" -d "link=https://example.com/tigers" -d access_token=$FB_TOKEN >/dev/null
req POST "/v21.0/$FB/feed" -d "message=Weekend special: two suits for one" -d access_token=$FB_TOKEN >/dev/null
chrome() {
  timeout 60 chromium --headless --no-sandbox --disable-gpu --disable-background-networking \
    --disable-component-update --disable-sync --no-first-run --user-data-dir="$(mktemp -d -p "$WORK")" \
    --virtual-time-budget=5000 "$@" 2>/dev/null
}
chrome --dump-dom "$URL" >"$WORK/dom.html"
grep -q 'Your Tigers jersey is pressed and ready' "$WORK/dom.html" || fail "post missing from the DOM"
grep -q 'Weekend special' "$WORK/dom.html" || fail "second post missing from the DOM"
grep -q 'class="fb-post"' "$WORK/dom.html" || fail "no facebook feed rendered"
# Newest first.
first=$(grep -o 'Weekend special\|Your Tigers jersey' "$WORK/dom.html" | head -1)
[[ $first == "Weekend special" ]] || fail "feed is not newest first"
chrome --screenshot="$BUILD_DIR/sandbox-page.png" --window-size=1280,900 "$URL" >/dev/null
[[ -s $BUILD_DIR/sandbox-page.png ]] || fail "no screenshot"
echo "PASS (screenshot: $BUILD_DIR/sandbox-page.png)"
