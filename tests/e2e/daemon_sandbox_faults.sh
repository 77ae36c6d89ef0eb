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

write_calendar faults <<YAML
calendar: faults
time_zone: UTC
targets: [facebook/corner-cleaners]
campaigns:
  - id: c
    goal: retention
    posts:
      - {id: first, at: "$(utc_in 3)", text: "first post, after a 503"}
      - {id: second, at: "$(utc_in 6)", text: "second post, after a 429"}
      - {id: third, at: "$(utc_in 9)", text: "third post, answer dropped"}
      - {id: fourth, at: "$(utc_in 16)", text: "fourth post, as first written"}
YAML
start_daemon

wait_for 15 "[[ \$(on_sandbox 'first post, after a 503') -ge 1 ]]" || fail "first post never published"
fault '{"kind": "retry_after", "retry_after": 1, "path": "/v*/*/feed", "method": "POST", "count": 1}'
wait_for 15 "[[ \$(on_sandbox 'second post, after a 429') -ge 1 ]]" || fail "second post never published"
fault '{"kind": "drop", "path": "/v*/*/feed", "method": "POST", "count": 1}'
wait_for 20 "grep -q 'found on the platform\|it was published as' '$T/heraldd.log'" ||
  fail "the dropped answer was not reconciled"

# Edit the pending fourth post, then break the calendar: the edit stays in force.
sed -i 's/fourth post, as first written/fourth post, as edited/' "$T/calendars/faults.yaml"
wait_for 10 "grep -q '1 updated' '$T/heraldd.log'" || fail "the edit was not applied"
printf 'calendar: faults\ntime_zone: UTC\ntargets: [facebook/corner-cleaners]\ncampaigns:\n  - id: c\n    goal: retention\n    posts:\n      - {id: fourth, at: "%s", txet: broken}\n' \
  "$(utc_in 3)" >"$T/calendars/faults.yaml.tmp" && mv "$T/calendars/faults.yaml.tmp" "$T/calendars/faults.yaml"
wait_for 10 "grep -q 'faults.yaml:8:[0-9]*: error: unknown key .txet.' '$T/heraldd.log'" ||
  fail "the broken calendar's error was not logged with its position"
wait_for 20 "[[ \$(on_sandbox 'fourth post, as edited') -ge 1 ]]" || fail "the edited post never went out"
sleep 1
stop_daemon

for text in "first post, after a 503" "second post, after a 429" "third post, answer dropped" \
            "fourth post, as edited"; do
  n=$(on_sandbox "$text")
  [[ $n -eq 1 ]] || fail "\"$text\" is on the sandbox $n times"
done
[[ $(on_sandbox "fourth post, as first written") -eq 0 ]] || fail "the unedited version went out"
curl -s "$URL/_sandbox/requests?path=/v*/104000000000001/feed" | grep -q '"status":503' ||
  fail "the sandbox never answered 503"
grep -q 'sandbox-fb-corner-cleaners' "$T/heraldd.log" && fail "the token reached the log"
echo ok
