#!/usr/bin/env bash
# kill -9 heraldd in the middle of a Facebook video upload (the Resumable
# Upload API, one chunk per step, each chunk slowed by the sandbox): after the
# restart the connector asks the upload session for its offset and goes on
# from there. The sandbox's request log proves it: no chunk is sent from byte
# 0 again, no byte range twice, the offsets follow each other up to the end;
# and the Page holds the video exactly once. The test waits until the control
# API reports nothing pending or running.
#   daemon_kill9_mid_video.sh HERALDD PLUGIN_DIR SANDBOX
source "$(dirname "$0")/lib/daemon_harness.sh" "$1" "$2"
SANDBOX=$3
top=$(cd "$(dirname "$0")/../.." && pwd)
FB=104000000000001

start_sandbox "$SANDBOX" "$top/examples/sandbox.yaml" --log "$T/requests.jsonl"
# Every chunk takes 700 ms on the platform's side: the kill lands mid-upload.
curl -sf -X POST "$URL/_sandbox/faults" -H 'Content-Type: application/json' \
  -d '{"kind":"delay","delay_ms":700,"path":"/v*/upload:*","method":"POST","count":-1}' >/dev/null

# The chunks acknowledged so far, as "offset+bytes" (status 200 only).
chunks() {
  curl -sS "$URL/_sandbox/requests?path=/v*/upload:*&method=POST" | python3 -c "
import json,sys
print(' '.join(r['params']['file_offset'] + '+' + str(r['params']['body_bytes'])
               for r in json.load(sys.stdin)['requests'] if r['status'] == 200))"
}
videos() {
  curl -sS "$URL/_sandbox/posts?account=$FB" |
    python3 -c "import json,sys; print(len([p for p in json.load(sys.stdin)['accounts'][0]['posts'] if p['kind'] == 'video']))"
}
api() { curl -sS --unix-socket "$T/herald.sock" "http://herald$1"; }
settled() {
  api /v1/status | python3 -c "
import json,sys
s=json.load(sys.stdin)['jobs']
sys.exit(0 if s.get('pending',0) == 0 and s.get('running',0) == 0 and s.get('unknown',0) == 0 else 1)"
}

mkdir -p "$T/calendars/media"
cp "$top/examples/calendars/media/behind-the-counter.mp4" "$T/calendars/media/"
size=$(stat -c %s "$T/calendars/media/behind-the-counter.mp4")
(umask 077; printf 'facebook/corner-cleaners:\n  access_token: sandbox-fb-corner-cleaners\n  client_id: herald-sandbox-client\n' >"$T/credentials.yaml")
write_config "  facebook/corner-cleaners:
    api_base: $URL
    credentials: facebook/corner-cleaners
    settings: {page_id: \"$FB\", chunk_bytes: 2048}
credentials_file: $T/credentials.yaml
retry: {base_delay: 200ms, max_delay: 2s, max_attempts: 8, jitter: full}"
write_calendar video <<YAML
calendar: video
time_zone: UTC
targets: [facebook/corner-cleaners]
campaigns:
  - id: c
    goal: retention
    posts:
      - id: v
        at: "$(utc_in 2)"
        text: Behind the counter, resumed
        media: [media/behind-the-counter.mp4]
YAML
start_daemon
wait_for 30 "[[ \$(chunks | wc -w) -ge 2 ]]" || fail "the upload never got two chunks in"
kill_daemon
before=$(chunks)
[[ $(videos) == 0 ]] || fail "published before the kill (videos: $(videos))"

start_daemon
wait_for 60 "settled" || fail "the job did not settle after the restart: $(api /v1/status)"
stop_daemon
videos_published=$(videos)
stop_sandbox

# From the log file: every chunk sent (any status), and the status queries.
python3 - "$T/requests.jsonl" "$size" "$before" <<'PY' || fail "the request log shows a re-upload"
import json, sys
log = [json.loads(l) for l in open(sys.argv[1])]
size = int(sys.argv[2])
sent = [(int(r['params']['file_offset']), r['params']['body_bytes'], r['status'])
        for r in log if r['method'] == 'POST' and '/upload:' in r['path']]
asked = [r for r in log if r['method'] == 'GET' and '/upload:' in r['path']]
zero = [s for s in sent if s[0] == 0]
assert len(zero) == 1, f"byte 0 sent {len(zero)} times: {sent}"
ranges = [(o, o + n) for o, n, st in sent]
for i, a in enumerate(ranges):
    for b in ranges[i + 1:]:
        assert a[1] <= b[0] or b[1] <= a[0], f"ranges {a} and {b} overlap: {sent}"
done = sorted(ranges)
assert done[0][0] == 0 and done[-1][1] == size, f"not the whole file: {done}"
assert all(x[1] == y[0] for x, y in zip(done, done[1:])), f"a gap: {done}"
assert len(asked) >= 1, "the restarted daemon never asked the session for its offset"
print("chunks:", sent, "queries:", len(asked), "before the kill:", sys.argv[3])
PY
[[ $videos_published == 1 ]] || fail "the video exists $videos_published times"
grep -q "sandbox-fb-corner-cleaners" "$T/heraldd.log" && fail "a token in the daemon's log"
echo PASS
