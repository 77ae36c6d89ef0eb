# A drop fault applies the request, then closes the connection unanswered.
source "$(dirname "$0")/lib/sandbox_harness.sh"
start_sandbox --fault "kind=drop,path=/v*/*/feed,method=POST,count=1"
set +e
curl -sS -X POST "${URL}v21.0/$FB/feed" -d message=once -d access_token=$FB_TOKEN >"$WORK/out" 2>&1
rc=$?
set -e
[[ $rc == 52 ]] || fail "curl should see an empty reply (52), got $rc: $(cat "$WORK/out")"
out=$(req GET /_sandbox/posts)
[[ $(json 'len(j["accounts"][0]["posts"])' "$out") == 1 ]] || fail "post not applied: $out"
out=$(req GET "/_sandbox/requests?path=*/feed")
[[ $(json 'j["requests"][0]["fault"]' "$out") == drop ]] || fail "$out"
# The next request is not faulted.
out=$(req POST "/v21.0/$FB/feed" -d message=twice -d access_token=$FB_TOKEN); expect_status 200 "$out"
echo PASS
