# GET /v1/status, /v1/jobs (filters, paging), /v1/jobs/ID, /v1/plugins,
# /v1/accounts, /metrics: with curl and with heraldctl.
source "$(dirname "$0")/lib/control_harness.sh"
write_calendar news -1 30 60
start_daemon
wait_for "the late post to go out" grep -q post-1 "$OUTBOX"
r=$(api GET /v1/status); expect_status 200 "$r"
[[ $(json 'j["jobs"]["pending"]' "$(body "$r")") == 2 ]] || fail "status: $r"
[[ $(json 'j["calendars"]["last_load"]["ok"]' "$(body "$r")") == True ]] || fail "last load: $r"
r=$(api GET '/v1/jobs?state=pending&limit=1'); expect_status 200 "$r"
cursor=$(json 'j["next_cursor"]' "$(body "$r")")
[[ $(json 'len(j["jobs"])' "$(body "$r")") == 1 && $cursor != None ]] || fail "paging: $r"
r=$(api GET "/v1/jobs?state=pending&limit=1&cursor=$cursor&platform=outbox"); expect_status 200 "$r"
[[ $(json 'j["jobs"][0]["post"]' "$(body "$r")") == post-3 ]] || fail "second page: $r"
r=$(api GET '/v1/jobs?state=bogus'); expect_status 400 "$r"
# ?state=a&state=b means either.
r=$(api GET '/v1/jobs?state=published&state=pending'); expect_status 200 "$r"
[[ $(json 'len(j["jobs"])' "$(body "$r")") == 3 ]] || fail "either state: $r"
[[ $(json '[x["next_attempt"] for x in j["jobs"] if x["state"] == "published"][0]' "$(body "$r")") == None ]] ||
  fail "a published job shows a next attempt: $r"
[[ $(json '"key" in j["jobs"][0]' "$(body "$r")") == False ]] || fail "the internal key is in the API: $r"
# HEAD answers as GET does, without the body.
h=$(curl -sS --unix-socket "$SOCK" -I http://herald/v1/status)
grep -q '^HTTP/1.1 200' <<<"$h" || fail "HEAD /v1/status: $h"
grep -qi '^content-length: [1-9]' <<<"$h" || fail "HEAD without the GET length: $h"
h=$(curl -sS --unix-socket "$SOCK" -I http://herald/v1/jobs/nope)
grep -q '^HTTP/1.1 404' <<<"$h" || fail "HEAD of a missing job: $h"
id=$(json 'j["jobs"][0]["id"]' "$(body "$(api GET '/v1/jobs?state=published')")")
r=$(api GET "/v1/jobs/$id"); expect_status 200 "$r"
[[ $(json 'j["attempt_history"][0]["outcome"]' "$(body "$r")") == published ]] || fail "job: $r"
[[ $(json 'j["rendered"]["text"]' "$(body "$r")") == "Post 1 of news." ]] || fail "rendered: $r"
r=$(api GET /v1/jobs/nope); expect_status 404 "$r"
[[ $(json 'j["error"]["message"]' "$(body "$r")") == "no job with id nope" ]] || fail "404 text: $r"
r=$(api GET /v1/plugins); expect_status 200 "$r"
[[ $(json '",".join(p["platform"] for p in j["plugins"])' "$(body "$r")") == *outbox* ]] || fail "plugins: $r"
r=$(api GET /v1/accounts); expect_status 200 "$r"
[[ $(json 'j["accounts"][0]["state"]' "$(body "$r")") == ok ]] || fail "accounts: $r"
grep -qi secret <<<"$(body "$r")" && fail "accounts mention secrets"
r=$(api GET /metrics); expect_status 200 "$r"
grep -q '^herald_jobs{state="published"} 1' <<<"$r" || fail "metrics: $r"
grep -q '^herald_publish_latency_seconds_count 1' <<<"$r" || fail "latency: $r"
grep -q 'pending=2' <<<"$(ctl status)" || fail "heraldctl status"
grep -q post-3 <<<"$(ctl jobs --state pending)" || fail "heraldctl jobs"
grep -q 'state: published' <<<"$(ctl job "$id")" || fail "heraldctl job"
grep -q outbox <<<"$(ctl plugins)" || fail "heraldctl plugins"
grep -q 'outbox/local' <<<"$(ctl accounts)" || fail "heraldctl accounts"
echo PASS
