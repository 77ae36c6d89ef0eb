# Admin-injected faults: 503, 429 + Retry-After, Graph rate limit 32 with usage headers.
source "$(dirname "$0")/lib/sandbox_harness.sh"
start_sandbox
out=$(req POST /_sandbox/faults -d '[{"kind":"status","status":503,"path":"*/feed"},{"kind":"retry_after","retry_after":7,"path":"*/feed"},{"kind":"rate_limit","path":"*/feed"}]')
expect_status 201 "$out"
out=$(req POST "/v21.0/$FB/feed" -d message=a -d access_token=$FB_TOKEN); expect_status 503 "$out"
headers=$(curl -sS -D - -o /dev/null -X POST "${URL}v21.0/$FB/feed" -d message=b -d access_token=$FB_TOKEN)
grep -q '^HTTP/1.1 429' <<<"$headers" || fail "$headers"
grep -qi '^Retry-After: 7' <<<"$headers" || fail "$headers"
out=$(curl -sS -i -X POST "${URL}v21.0/$FB/feed" -d message=c -d access_token=$FB_TOKEN)
grep -qi '^X-Business-Use-Case-Usage:' <<<"$out" || fail "$out"
grep -q '"code":32' <<<"$out" || fail "$out"
out=$(req GET /_sandbox/posts)
[[ $(json 'len(j["accounts"][0]["posts"])' "$out") == 0 ]] || fail "faulted requests must not publish"
echo PASS
