# POST /{page-id}/feed publishes once; the post is readable with summaries
# and listed by published_posts and /_sandbox/posts; the log masks the token.
source "$(dirname "$0")/lib/sandbox_harness.sh"
start_sandbox
out=$(req POST "/v21.0/$FB/feed" -d "message=Fresh shirts for the Tigers game" -d "access_token=$FB_TOKEN")
expect_status 200 "$out"
id=$(json 'j["id"]' "$out"); [[ $id == ${FB}_* ]] || fail "bad id $id"
out=$(req GET "/v21.0/$id?fields=message,likes.summary(true),comments.summary(true),shares" -H "Authorization: Bearer $FB_TOKEN")
expect_status 200 "$out"
[[ $(json 'j["message"]' "$out") == "Fresh shirts for the Tigers game" ]] || fail "$out"
[[ $(json 'j["likes"]["summary"]["total_count"] >= 0' "$out") == True ]] || fail "$out"
out=$(req GET "/v21.0/$FB/published_posts?access_token=$FB_TOKEN"); expect_status 200 "$out"
[[ $(json 'len(j["data"])' "$out") == 1 ]] || fail "$out"
out=$(req GET "/_sandbox/requests?path=/v21.0/*/feed&method=POST")
[[ $(json 'j["count"]' "$out") == 1 ]] || fail "$out"
grep -q "$FB_TOKEN" "$WORK/requests.jsonl" && fail "token leaked into the log file"
grep -q '"access_token":"\*\*\*"' "$WORK/requests.jsonl" || fail "no masked token in log"
echo PASS
