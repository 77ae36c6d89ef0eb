#!/usr/bin/env bash
# The real heraldd, the real sandbox with one videos.insert a day: the first
# video goes out, the second (due ten seconds later) meets quotaExceeded. The channel's work then
# waits until the quota resets at the next midnight Pacific time (as the tz
# database has it), the job stays pending (never failed), and /v1/accounts,
# /metrics and heraldctl accounts say so, with the day's estimated use by
# bucket (videos.insert and units, each request counted once it was sent).
#   daemon_youtube_quota_pauses.sh HERALDD PLUGIN_DIR SANDBOX HERALDCTL
source "$(dirname "$0")/lib/daemon_harness.sh" "$1" "$2"
SANDBOX=$3
HERALDCTL=$4
top=$(cd "$(dirname "$0")/../.." && pwd)
A=youtube/corner-cleaners-tv

cat >"$T/sandbox.yaml" <<YAML
rate_limits: {youtube_uploads_per_day: 1}
accounts:
  - platform: youtube
    id: UCcornerCleanersTV0000001
    name: corner-cleaners-tv
    tokens: [sandbox-yt-access-corner-cleaners-tv]
YAML
start_sandbox "$SANDBOX" "$T/sandbox.yaml"
api() { curl -sS --unix-socket "$T/herald.sock" "http://herald$1"; }
jobs_in() {  # jobs_in STATE: how many jobs are in that state
  api /v1/status | python3 -c "import json,sys; print(json.load(sys.stdin)['jobs'].get(sys.argv[1], 0))" "$1"
}

mkdir -p "$T/calendars/media"
cp "$top/examples/calendars/media/behind-the-counter.mp4" "$T/calendars/media/"
far=$(( ($(date +%s) + 86400) * 1000 ))
(umask 077; cat >"$T/credentials.yaml" <<YAML
$A:
  access_token: sandbox-yt-access-corner-cleaners-tv
  expires_at_ms: "$far"
  refresh_token: unused-refresh-token
  client_id: herald-sandbox-client
  client_secret: sandbox-client-secret
YAML
)
write_config "  $A:
    api_base: $URL
    credentials: $A
    settings: {channel_id: UCcornerCleanersTV0000001, privacy: unlisted}
    concurrency: 1
credentials_file: $T/credentials.yaml
retry: {base_delay: 200ms, max_delay: 2s, max_attempts: 2, jitter: full}"
write_calendar tv <<YAML
calendar: tv
time_zone: UTC
targets: [$A]
campaigns:
  - id: c
    goal: retention
    posts:
      - {id: one, at: "$(utc_in 2)", text: first video, youtube: {title: First video}, media: [media/behind-the-counter.mp4]}
      - {id: two, at: "$(utc_in 12)", text: second video, youtube: {title: Second video}, media: [media/behind-the-counter.mp4]}
YAML
start_daemon
wait_for 80 "[[ \$(jobs_in published) == 1 && \$(jobs_in pending) == 1 && \$(jobs_in running) == 0 ]] && grep -q 'quota is spent' '$T/heraldd.log'" ||
  fail "no quota answer: $(api /v1/status)"

accounts=$(api /v1/accounts)
python3 - "$accounts" <<'PY' || fail "accounts: $accounts"
import json, sys, datetime, zoneinfo
a = [x for x in json.loads(sys.argv[1])["accounts"] if x["name"] == "youtube/corner-cleaners-tv"][0]
assert a["state"] == "quota_exhausted", a
q = a["quota"]
assert q["reset_time_zone"] == "America/Los_Angeles", q
pt = zoneinfo.ZoneInfo("America/Los_Angeles")
now = datetime.datetime.now(pt)
midnight = datetime.datetime.combine(now.date() + datetime.timedelta(days=1), datetime.time(), pt)
reset = midnight.astimezone(datetime.timezone.utc).strftime("%Y-%m-%dT%H:%M:%S")
assert q["resets_at"].startswith(reset) and q["exhausted_until"].startswith(reset), (q, reset)
assert q["day"] == now.date().isoformat(), q
used = {b["bucket"]: (b["used"], b["per_day"]) for b in q["buckets"]}
# Two uploads were asked for (the refused one is charged too); no unit call yet.
assert used["videos.insert"] == (2, 100), used
assert used["units"][1] == 10000, used
PY
job=$(api "/v1/jobs?state=pending" | python3 -c "import json,sys; j=json.load(sys.stdin)['jobs'][0]; print(j['next_attempt'], j['last_error'])")
[[ $job == *"quota exhausted until"* ]] || fail "the pending job does not say why: $job"

metrics=$(api /metrics)
grep -qx "herald_quota_exhausted{account=\"$A\"} 1" <<<"$metrics" || fail "no exhausted gauge"
grep -qx "herald_quota_used{account=\"$A\",bucket=\"videos.insert\"} 2" <<<"$metrics" || fail "no used gauge"
grep -qx "herald_quota_left{account=\"$A\",bucket=\"units\"} 10000" <<<"$metrics" || fail "no left gauge"
out=$("$HERALDCTL" --socket "$T/herald.sock" accounts)
grep -q "quota_exhausted" <<<"$out" && grep -q "videos.insert 2/100" <<<"$out" || fail "heraldctl accounts: $out"

# Nothing more is sent for the channel while the quota is spent.
before=$(curl -sS "$URL/_sandbox/requests?path=/upload/*" | python3 -c "import json,sys; print(json.load(sys.stdin)['count'])")
api "/v1/jobs?state=failed" | python3 -c "import json,sys; sys.exit(1 if json.load(sys.stdin)['jobs'] else 0)" ||
  fail "a job failed on quota"
stop_daemon
after=$(curl -sS "$URL/_sandbox/requests?path=/upload/*" | python3 -c "import json,sys; print(json.load(sys.stdin)['count'])")
[[ $before == "$after" ]] || fail "uploads went on after the quota was spent"
echo PASS
