#!/usr/bin/env bash
# The real heraldd publishing to the real sandbox through the Facebook
# connector, with the platform misbehaving: a 500, a 429 with Retry-After, and
# a connection dropped after the post was created (outcome unknown: the daemon
# must reconcile and find it). Then a pending post's calendar is edited (the
# edit is what goes out) and broken (the last good version stays in force).
# The sandbox's own record says each post exists exactly once.
#   daemon_sandbox_faults.sh HERALDD PLUGIN_DIR SANDBOX
source "$(dirname "$0")/lib/daemon_harness.sh" "$1" "$2"
SANDBOX=$3
top=$(cd "$(dirname "$0")/../.." && pwd)

"$SANDBOX" --config "$top/examples/sandbox.yaml" --listen 127.0.0.1:0 \
  --fault 'kind=status,status=503,path=/v*/*/feed,method=POST,count=1' >"$T/sandbox.out" 2>&1 &
SANDBOX_PID=$!
trap 'kill $SANDBOX_PID 2>/dev/null; cleanup' EXIT
wait_for 15 "grep -q 'listening on' '$T/sandbox.out'" || fail "the sandbox did not start"
URL=$(grep -o 'http://127.0.0.1:[0-9]*' "$T/sandbox.out" | head -1)
fault() { curl -sf -X POST "$URL/_sandbox/faults" -H 'Content-Type: application/json' -d "$1" >/dev/null; }
on_sandbox() { curl -s "$URL/_sandbox/posts" | grep -oF "$1" | wc -l; }

(umask 077; printf 'facebook/corner-cleaners:\n  access_token: sandbox-fb-corner-cleaners\n' >"$T/credentials.yaml")
write_config "  facebook/corner-cleaners:
    api_base: $URL
    credentials: facebook/corner-cleaners
    settings: {page_id: \"104000000000001\"}
credentials_file: $T/credentials.yaml
retry: {base_delay: 200ms, max_delay: 2s, max_attempts: 8, jitter: full}"

# The posts are due in an hour; each is sent when the test has set up its
# fault (publish-now), so no one waits for a due time.
write_calendar faults <<YAML
calendar: faults
time_zone: UTC
targets: [facebook/corner-cleaners]
campaigns:
  - id: c
    goal: retention
    posts:
      - {id: first, at: "$(utc_in 3600)", text: "first post, after a 503"}
      - {id: second, at: "$(utc_in 3660)", text: "second post, after a 429"}
      - {id: third, at: "$(utc_in 3720)", text: "third post, answer dropped"}
      - {id: fourth, at: "$(utc_in 3780)", text: "fourth post, as first written"}
YAML
start_daemon
publish_now() { api "/v1/jobs/$(job "$1" 'j["id"]')/publish-now" -X POST -d '{}' >/dev/null; }
outcomes() { job "$1" '",".join(a["outcome"] or "" for a in j["attempt_history"])'; }

publish_now first  # the sandbox answers its first feed POST with 503
wait_for 15 "[[ \$(on_sandbox 'first post, after a 503') -ge 1 ]]" || fail "first post never published"
[[ $(outcomes first) == retry,published ]] || fail "first: $(job first j)"
fault '{"kind": "retry_after", "retry_after": 1, "path": "/v*/*/feed", "method": "POST", "count": 1}'
publish_now second
wait_for 15 "[[ \$(on_sandbox 'second post, after a 429') -ge 1 ]]" || fail "second post never published"
[[ $(outcomes second) == retry,published ]] || fail "second: $(job second j)"
fault '{"kind": "drop", "path": "/v*/*/feed", "method": "POST", "count": 1}'
publish_now third
# The answer was lost after the post was made: unknown, then found by
# reconciliation (published without a second attempt).
wait_for 20 '[[ $(job third "j[\"state\"]") == published ]]' || fail "the dropped answer was not reconciled: $(job third j)"
[[ $(outcomes third) == unknown ]] || fail "third: $(job third j)"

# Edit the pending fourth post, then break the calendar: the edit stays in force.
sed -i 's/fourth post, as first written/fourth post, as edited/' "$T/calendars/faults.yaml"
wait_for 10 '[[ $(job fourth "j[\"rendered\"][\"text\"]") == "fourth post, as edited" ]]' ||
  fail "the edit was not applied: $(job fourth j)"
printf 'calendar: faults\ntime_zone: UTC\ntargets: [facebook/corner-cleaners]\ncampaigns:\n  - id: c\n    goal: retention\n    posts:\n      - {id: fourth, at: "%s", txet: broken}\n' \
  "$(utc_in 3)" >"$T/calendars/faults.yaml.tmp" && mv "$T/calendars/faults.yaml.tmp" "$T/calendars/faults.yaml"
broken_reported() {
  last_load '"\n".join(d["text"] for d in j["diagnostics"])' |
    grep -q 'faults.yaml:8:[0-9]*: error: unknown key .txet.'
}
wait_for 10 broken_reported || fail "the broken calendar's error was not reported with its position: $(last_load j)"
publish_now fourth
wait_for 20 "[[ \$(on_sandbox 'fourth post, as edited') -ge 1 ]]" || fail "the edited post never went out"
wait_for 15 settled || fail "the posts did not settle: $(api /v1/status)"
stop_daemon

for text in "first post, after a 503" "second post, after a 429" "third post, answer dropped" \
            "fourth post, as edited"; do
  n=$(on_sandbox "$text")
  [[ $n -eq 1 ]] || fail "\"$text\" is on the sandbox $n times"
done
[[ $(on_sandbox "fourth post, as first written") -eq 0 ]] || fail "the unedited version went out"
grep -q '"status":503' <<<"$(curl -s "$URL/_sandbox/requests?path=/v*/104000000000001/feed")" ||
  fail "the sandbox never answered 503"
grep -q 'sandbox-fb-corner-cleaners' "$T/heraldd.log" && fail "the token reached the log"
echo ok
