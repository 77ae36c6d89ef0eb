#!/usr/bin/env bash
# kill -9 heraldd in the middle of a Facebook video upload (the Resumable
# Upload API, one chunk per step): the sandbox takes two chunks, then answers
# 503 to every chunk, so the daemon is killed with the upload half done
# whatever the machine's speed. After the restart (faults cleared) the
# connector asks the upload session for its offset and goes on from there.
# The sandbox's request log proves it: byte 0 is sent once, the first chunk
# after the restart starts at the server's offset, the accepted ranges do not
# overlap and cover the file; the Page holds the video exactly once. The test
# waits until the control API reports nothing pending, running or unknown.
#   daemon_kill9_mid_video.sh HERALDD PLUGIN_DIR SANDBOX
source "$(dirname "$0")/lib/daemon_harness.sh" "$1" "$2"
SANDBOX=$3
top=$(cd "$(dirname "$0")/../.." && pwd)
FB=104000000000001

start_sandbox "$SANDBOX" "$top/examples/sandbox.yaml" --log "$T/requests.jsonl"
# Faults are taken in order: two chunks pass (a 1 ms delay), then every chunk gets 503.
for rule in '{"kind":"delay","delay_ms":1,"path":"/v*/upload:*","method":"POST","count":2}' \
            '{"kind":"status","status":503,"path":"/v*/upload:*","method":"POST","count":-1}'; do
  curl -sf -X POST "$URL/_sandbox/faults" -H 'Content-Type: application/json' -d "$rule" >/dev/null
done

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
refused() {
  curl -sS "$URL/_sandbox/requests?path=/v*/upload:*&method=POST" |
    python3 -c "import json,sys; print(len([r for r in json.load(sys.stdin)['requests'] if r['status'] == 503]))"
}
wait_for 60 "[[ \$(chunks | wc -w) -ge 2 && \$(refused) -ge 1 ]]" || fail "the upload never got two chunks in"
kill_daemon
kill_seq=$(curl -sS "$URL/_sandbox/requests" | python3 -c "import json,sys; print(json.load(sys.stdin)['requests'][-1]['seq'])")
curl -sf -X DELETE "$URL/_sandbox/faults" >/dev/null
[[ $(videos) == 0 ]] || fail "published before the kill (videos: $(videos))"

start_daemon
wait_for 60 "settled" || fail "the job did not settle after the restart: $(api /v1/status)"
stop_daemon
videos_published=$(videos)
stop_sandbox

# From the log file: every chunk sent (any status), and the status queries.
python3 - "$T/requests.jsonl" "$size" "$kill_seq" <<'PY' || fail "the request log shows a re-upload"
import json, sys
log = [json.loads(l) for l in open(sys.argv[1])]
size, kill_seq = int(sys.argv[2]), int(sys.argv[3])
upload = [r for r in log if '/upload:' in r['path']]
sent = [(int(r['params']['file_offset']), r['params']['body_bytes'], r['status'], r['seq'])
        for r in upload if r['method'] == 'POST']
zero = [s for s in sent if s[0] == 0]
assert len(zero) == 1, f"byte 0 sent {len(zero)} times: {sent}"
accepted = sorted((o, o + n) for o, n, st, _ in sent if st == 200)
assert all(a[1] == b[0] for a, b in zip(accepted, accepted[1:])), f"overlap or gap: {accepted}"
assert accepted[0][0] == 0 and accepted[-1][1] == size, f"not the whole file: {accepted}"
before = [a for a in accepted if any(s[3] <= kill_seq and s[0] == a[0] and s[2] == 200 for s in sent)]
after = [r for r in upload if r['seq'] > kill_seq]
assert after and after[0]['method'] == 'GET', f"the restart did not ask for the offset first: {after[:2]}"
first_post = [r for r in after if r['method'] == 'POST'][0]
assert int(first_post['params']['file_offset']) == before[-1][1], (first_post, before)
print("accepted:", accepted, "resumed at", first_post['params']['file_offset'])
PY
[[ $videos_published == 1 ]] || fail "the video exists $videos_published times"
grep -q "sandbox-fb-corner-cleaners" "$T/heraldd.log" && fail "a token in the daemon's log"
echo PASS
