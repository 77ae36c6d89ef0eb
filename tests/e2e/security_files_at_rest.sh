# Files herald writes keep their modes whatever the umask: run outside
# systemd with umask 000, heraldd must still create its state folder 0700,
# the journal, its WAL and shared memory, the lock and the media salt 0600,
# the staging folder 0750 and each staged copy 0640 (media.mode), and
# heraldctl preview --output 0600; a journal left 0644 by an older version
# is narrowed when heraldd opens it again.
source "$(dirname "$0")/lib/security_harness.sh" "$@"
SRC=$(cd "$(dirname "$0")/../.." && pwd)
HERALDCTL=$(dirname "$HERALDD")/ctl/heraldctl
start_media_server
rmdir "$T/media"
STATE=$T/var/lib/herald
cat >"$T/herald.yaml" <<YAML
calendar_dirs: [$T/calendars]
state_dir: $STATE
plugin_dirs: [$PLUGIN_DIR, $TEST_PLUGIN_DIR]
log_level: debug
control: {socket: $SOCK}
media: {public_base_url: "http://127.0.0.1:$MEDIA_PORT", dir: $T/media}
accounts:
  outbox/local:
    settings: {path: $T/outbox.jsonl}
YAML
mkdir -p "$T/calendars/media"
cp "$SRC/tests/fixtures/media/photo.jpg" "$T/calendars/media/photo.jpg"
write_calendar modes <<YAML
calendar: modes
time_zone: UTC
targets: [outbox/local]
late: publish within 1h
campaigns:
  - id: c
    goal: retention
    posts:
      - {id: p, at: "$(utc_in -60)", text: modes, media: [media/photo.jpg]}
YAML
umask 000
start_daemon
wait_for 30 settled || fail "the job did not settle"
[[ $(published modes) == 1 ]] || fail "not published"

mode() { stat -c %a "$1"; }
expect_mode() { [[ -e $1 ]] || fail "$1 is missing"; [[ $(mode "$1") == "$2" ]] || fail "$1 is $(mode "$1"), not $2"; }
expect_mode "$STATE" 700
for f in journal.db journal.db-wal journal.db-shm heraldd.lock media-salt; do expect_mode "$STATE/$f" 600; done
expect_mode "$T/media" 750
staged=("$T"/media/*)
[[ ${#staged[@]} == 1 ]] || fail "staged: ${staged[*]}"
expect_mode "${staged[0]}" 640
"$HERALDCTL" --config "$T/herald.yaml" preview "$T/calendars" --output "$T/plan.json" --format json 2>/dev/null
expect_mode "$T/plan.json" 600
stop_daemon

# An older heraldd's wide journal is narrowed.
chmod 644 "$STATE/journal.db" "$STATE/heraldd.lock"
start_daemon
expect_mode "$STATE/journal.db" 600
expect_mode "$STATE/heraldd.lock" 600
stop_daemon
echo PASS
