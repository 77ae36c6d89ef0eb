# The audit's first attack, and its kin: a marketer loads a calendar with real
# media, then swaps each file before it goes out, for a symbolic link to the
# credentials file, a hard link to it, a FIFO, and an HLS playlist naming a
# video outside the folder. heraldd must open each file confined when it
# stages it: every such job fails with the reason and nothing is staged or
# published; a file replaced by another real picture still goes out, as it is
# now; the secret reaches no file, log or answer; staged copies are 0640.
source "$(dirname "$0")/lib/security_harness.sh" "$@"
SRC=$(cd "$(dirname "$0")/../.." && pwd)
start_media_server
write_security_config "media: {public_base_url: \"http://127.0.0.1:$MEDIA_PORT\", dir: $T/media}"
mkdir -p "$T/calendars/media" "$T/outside"
for f in link hard fifo same; do cp "$SRC/tests/fixtures/media/photo.jpg" "$T/calendars/media/$f.jpg"; done
cp "$SRC/tests/fixtures/media/h264-aac.mp4" "$T/calendars/media/clip.mp4"
cp "$SRC/tests/fixtures/media/rotated.mp4" "$T/outside/private.mp4"
at=$(utc_in 3600)
write_calendar swap <<YAML
calendar: swap
time_zone: UTC
targets: [outbox/local]
campaigns:
  - id: c
    goal: retention
    posts:
      - {id: p-link, at: "$at", text: via a symlink, media: [media/link.jpg]}
      - {id: p-hard, at: "$at", text: via a hard link, media: [media/hard.jpg]}
      - {id: p-fifo, at: "$at", text: via a FIFO, media: [media/fifo.jpg]}
      - {id: p-hls, at: "$at", text: via a playlist, media: [media/clip.mp4]}
      - {id: p-same, at: "$at", text: a better photo, media: [media/same.jpg]}
YAML
start_daemon
[[ $(json 'j["jobs"]["pending"]' "$(body "$(api GET /v1/status)")") == 5 ]] || fail "not 5 pending jobs"

# The swaps, each atomic (rename over the checked name).
cd "$T/calendars/media"
ln -sf "$T/credentials.yaml" link.jpg.new && mv -T link.jpg.new link.jpg
ln -f "$T/credentials.yaml" hard.jpg.new && mv -T hard.jpg.new hard.jpg
mkfifo fifo.jpg.new && mv -T fifo.jpg.new fifo.jpg
printf '#EXTM3U\n#EXT-X-TARGETDURATION:2\n#EXTINF:2.0,\n%s\n#EXT-X-ENDLIST\n' "$T/outside/private.mp4" >clip.mp4.new
mv -T clip.mp4.new clip.mp4
cp "$SRC/examples/calendars/media/stain-tip.jpg" same.jpg.new && mv -T same.jpg.new same.jpg
cd - >/dev/null

for post in p-link p-hard p-fifo p-hls p-same; do
  id=$(json "[x['id'] for x in j['jobs'] if x['post']=='$post'][0]" "$(body "$(api GET '/v1/jobs?limit=100')")")
  [[ $(code "$(api POST "/v1/jobs/$id/publish-now")") == 200 ]] || fail "publish-now $post"
done
wait_for 60 settled || fail "jobs did not settle"
kill -0 "$DAEMON_PID" || fail "heraldd died"

expect_failed() {
  local state message
  state=$(job_field "$1" 'j["state"]')
  message=$(job_field "$1" 'j["attempt_history"][-1]["message"]')
  [[ $state == failed ]] || fail "$1 is $state, not failed ($message)"
  [[ $message == *"$2"* ]] || fail "$1 failed for another reason: $message"
}
expect_failed p-link "symbolic link"
expect_failed p-hard "hard links"
expect_failed p-fifo "FIFO"
expect_failed p-hls "not one of the containers herald reads"
[[ $(job_field p-same 'j["state"]') == published ]] || fail "p-same: $(job_field p-same 'j')"

# Only the replaced photo went out and was staged, as it is now, mode 0640.
[[ $(wc -l <"$T/outbox.jsonl") == 1 && $(published "a better photo") == 1 ]] || fail "outbox: $(cat "$T/outbox.jsonl")"
staged=("$T"/media/*)
[[ ${#staged[@]} == 1 ]] || fail "staged: ${staged[*]}"
cmp -s "${staged[0]}" "$SRC/examples/calendars/media/stain-tip.jpg" || fail "the staged copy is not the new photo"
[[ $(stat -c %a "${staged[0]}") == 640 ]] || fail "staged mode $(stat -c %a "${staged[0]}")"
[[ $(stat -c %a "$T/media") != *[2367] ]] || fail "media folder writable by others"
no_secret_anywhere
stop_daemon
echo PASS
