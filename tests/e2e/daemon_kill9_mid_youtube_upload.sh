#!/usr/bin/env bash
# kill -9 heraldd while a YouTube upload chunk is on its way, twice, with the
# real heraldd and herald-sandbox. The sandbox holds the chunk (a delay fault)
# and applies it after the kill, so the job is `unknown` after the restart
# and reconciled: find asks the checkpointed upload session (PUT, Content-Range
# bytes */N) before anything else, never the uploads playlist.
#   a: killed on the last chunk: the session answers with the video -> found,
#      published as that video; no chunk is sent again.
#   b: the same title, killed on the second chunk: the session answers 308
#      -> the upload goes on from the session's offset. (The playlist search
#      would take video a, with the same title, for it.)
# From the sandbox's request log: byte 0 of each upload is sent once, the
# accepted ranges cover each file without overlap, the restart asked the
# session first; the channel holds each video once.
#   daemon_kill9_mid_youtube_upload.sh HERALDD PLUGIN_DIR SANDBOX
source "$(dirname "$0")/lib/daemon_harness.sh" "$1" "$2"
SANDBOX=$3
top=$(cd "$(dirname "$0")/../.." && pwd)
YT=UCcornerCleanersTV0000001
A=youtube/corner-cleaners-tv

start_sandbox "$SANDBOX" "$top/examples/sandbox.yaml" --log "$T/requests.jsonl"
fault() { curl -sf -X POST "$URL/_sandbox/faults" -H 'Content-Type: application/json' -d "$1" >/dev/null; }
no_faults_left() {
  curl -sS "$URL/_sandbox/faults" | python3 -c "import json,sys; sys.exit(0 if not json.load(sys.stdin)['faults'] else 1)"
}
held_done() {  # held_done N: N held chunks were handled (the last after the kill)
  curl -sS "$URL/_sandbox/requests?path=/upload/youtube/v3/videos&method=PUT" |
    python3 -c "import json,sys; sys.exit(0 if sum(r['fault'] == 'delay' and r['duration_us'] >= 4000000 for r in json.load(sys.stdin)['requests']) >= $1 else 1)"
}
videos() {
  curl -sS "$URL/_sandbox/posts?account=$YT" |
    python3 -c "import json,sys; print(' '.join(p['id'] for p in json.load(sys.stdin)['accounts'][0]['posts'] if p['kind'] == 'video'))"
}
last_seq() { curl -sS "$URL/_sandbox/requests" | python3 -c "import json,sys; r=json.load(sys.stdin)['requests']; print(r[-1]['seq'] if r else 0)"; }
job_of() { json_eval "[x['id'] for x in j['jobs'] if x['post'] == '$1'][0]" "$(api '/v1/jobs?limit=100')"; }

# A valid MP4 grown past three 256 KiB chunks by a trailing `free` box.
mkdir -p "$T/calendars/media"
python3 - "$top/examples/calendars/media/behind-the-counter.mp4" "$T/calendars/media/clip.mp4" <<'PY'
import struct, sys
data = open(sys.argv[1], 'rb').read()
pad = 900000
open(sys.argv[2], 'wb').write(data + struct.pack('>I', pad + 8) + b'free' + bytes(pad))
PY
size=$(stat -c %s "$T/calendars/media/clip.mp4")
far=$(( ($(date +%s) + 86400) * 1000 ))
(umask 077; cat >"$T/credentials.yaml" <<YAML
$A:
  access_token: sandbox-yt-access-corner-cleaners-tv
  expires_at_ms: "$far"
  refresh_token: sandbox-yt-refresh-corner-cleaners-tv
  client_id: herald-sandbox-client
  client_secret: sandbox-client-secret
YAML
)
write_config "  $A:
    api_base: $URL
    credentials: $A
    settings: {channel_id: $YT, privacy: unlisted, chunk_bytes: 262144}
    concurrency: 1
credentials_file: $T/credentials.yaml
retry: {base_delay: 200ms, max_delay: 2s, max_attempts: 8, jitter: full}"
write_calendar tv <<YAML
calendar: tv
time_zone: UTC
targets: [$A]
campaigns:
  - id: c
    goal: retention
    posts:
      - {id: a, at: "$(utc_in 2)", text: the first, youtube: {title: Behind the counter}, media: [media/clip.mp4]}
      - {id: b, at: "$(utc_in 7200)", text: the second, youtube: {title: Behind the counter}, media: [media/clip.mp4]}
YAML

# kill_on_held_chunk N: the upload's first N-1 chunks pass, chunk N is held
# 5 s by the sandbox; heraldd is killed while it waits for the answer, and
# restarted once the sandbox has applied the chunk. Sets KILL_SEQ.
kill_on_held_chunk() {
  curl -sf -X DELETE "$URL/_sandbox/faults" >/dev/null
  (( $1 > 1 )) && fault "{\"kind\":\"delay\",\"delay_ms\":1,\"path\":\"/upload/youtube/v3/videos\",\"method\":\"PUT\",\"count\":$(( $1 - 1 ))}"
  fault '{"kind":"delay","delay_ms":5000,"path":"/upload/youtube/v3/videos","method":"PUT","count":1}'
}
# restart_after_held_chunk N HELD: HELD chunks held so far, this one included.
restart_after_held_chunk() {
  wait_for 60 no_faults_left || fail "chunk $1 never reached the sandbox"
  kill_daemon
  wait_for 30 "held_done $2" || fail "the held chunk was not applied"
  KILL_SEQ=$(last_seq)
  start_daemon
}

kill_on_held_chunk 4
start_daemon
restart_after_held_chunk 4 1
seq_a=$KILL_SEQ
ida=$(job_of a)
wait_for 60 "[[ \$(json_eval 'j[\"state\"]' \"\$(api /v1/jobs/$ida)\") == published ]]" ||
  fail "a did not settle: $(api /v1/jobs/$ida)"
vids=$(videos)
[[ $(wc -w <<<"$vids") == 1 ]] || fail "after a: videos $vids"
[[ $(json_eval 'j["remote_id"]' "$(api /v1/jobs/$ida)") == "$vids" ]] || fail "a is not published as $vids"

kill_on_held_chunk 2
idb=$(job_of b)
api "/v1/jobs/$idb/publish-now" -X POST >/dev/null || fail "publish-now b"
restart_after_held_chunk 2 2
seq_b=$KILL_SEQ
wait_for 60 "[[ \$(json_eval 'j[\"state\"]' \"\$(api /v1/jobs/$idb)\") == published ]]" ||
  fail "b did not settle: $(api /v1/jobs/$idb)"
wait_for 30 settled || fail "not settled: $(api /v1/status)"
remote_a=$(json_eval 'j["remote_id"]' "$(api /v1/jobs/$ida)")
remote_b=$(json_eval 'j["remote_id"]' "$(api /v1/jobs/$idb)")
stop_daemon
vids=$(videos)
stop_sandbox

grep -q "reconciled $ida: it was published as $remote_a" "$T/heraldd.log" ||
  fail "a was not reconciled as found"
grep -q "reconciled $idb: not finished on the platform" "$T/heraldd.log" ||
  fail "b was not reconciled from its session"
python3 - "$T/requests.jsonl" "$size" "$seq_a" "$seq_b" "$remote_a" "$remote_b" "$vids" <<'PY' || fail "the request log shows a re-upload"
import json, re, sys
log = [json.loads(l) for l in open(sys.argv[1])]
size, seq_a, seq_b = int(sys.argv[2]), int(sys.argv[3]), int(sys.argv[4])
remote_a, remote_b, videos = sys.argv[5], sys.argv[6], sys.argv[7].split()
assert sorted(videos) == sorted([remote_a, remote_b]) and remote_a != remote_b, (videos, remote_a, remote_b)
assert not [r for r in log if r['path'].startswith('/youtube/v3/')], "find searched the uploads playlist"
puts = [r for r in log if r['path'] == '/upload/youtube/v3/videos' and r['method'] == 'PUT']
uploads = {}
for r in puts:
    uploads.setdefault(r['params']['upload_id'], []).append(r)
assert len(uploads) == 2, f"{len(uploads)} upload sessions: {list(uploads)}"
for kill_seq, (session, rs) in zip((seq_a, seq_b), sorted(uploads.items(), key=lambda u: u[1][0]['seq'])):
    chunks = []
    for r in rs:
        m = re.fullmatch(r'bytes (\d+)-(\d+)/(\d+)', r['params'].get('Content-Range', ''))
        if m:
            chunks.append((int(m[1]), int(m[2]) + 1, r['status'], r['seq']))
    zero = [c for c in chunks if c[0] == 0]
    assert len(zero) == 1, f"{session}: byte 0 sent {len(zero)} times: {chunks}"
    accepted = sorted((a, b) for a, b, st, _ in chunks if st in (200, 308))
    assert all(x[1] == y[0] for x, y in zip(accepted, accepted[1:])), f"{session}: overlap or gap: {accepted}"
    assert accepted[0][0] == 0 and accepted[-1][1] == size, f"{session}: not the whole file: {accepted}"
    after = [r for r in rs if r['seq'] > kill_seq]
    assert after and after[0]['params'].get('Content-Range') == f'bytes */{size}', \
        f"{session}: the restart did not ask the session first: {after[:1]}"
    held = [c for c in chunks if c[3] <= kill_seq][-1]
    resent = [c for c in chunks if c[3] > kill_seq]
    assert all(c[0] >= held[1] for c in resent), f"{session}: resent below {held[1]}: {resent}"
    print(session, "accepted", accepted, "after the restart", [c[:2] for c in resent])
PY
grep -q "sandbox-yt-access-corner-cleaners-tv" "$T/heraldd.log" && fail "a token in the daemon's log"
echo PASS
