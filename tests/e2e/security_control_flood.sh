# The audit's lock-out: 1,000 idle connections and 300 slowloris clients from
# a peer below admin (uid nobody, a member of the socket's group) must not
# keep root out. While they hammer the socket, root's GET /v1/status is
# answered every time, each within ADMIN_BOUND_S (the property is "within
# 1 s"; the bound leaves room for a loaded 2-core machine under ASan, and the
# real figures are printed), and the flood holds no more connections than
# its per-user cap. Needs root (to be two users at once); skips otherwise.
source "$(dirname "$0")/lib/security_harness.sh" "$@"
readonly ADMIN_BOUND_S=3 IDLE=1000 SLOW=300 SAMPLES=20
[[ $(id -u) == 0 ]] || { echo "SKIP: needs root to run the flood as another user"; exit 77; }
nobody_uid=$(id -u nobody); nobody_gid=$(getent group nogroup | cut -d: -f3)
SOCKDIR=$(mktemp -d /tmp/herald-sock.XXXXXX); chmod 755 "$SOCKDIR"
SOCK=$SOCKDIR/control.sock
FLOOD_PID=""
finish() {
  if [[ -n $FLOOD_PID ]]; then kill "$FLOOD_PID" 2>/dev/null || true; wait "$FLOOD_PID" 2>/dev/null || true; fi
  rm -rf "$SOCKDIR"
  cleanup_security
}
trap finish EXIT
write_config "control: {socket: $SOCK, group: nogroup, viewers: {users: [nobody]}}"
sed -i '/^control:$/,/^  socket:/d' "$T/herald.yaml"  # the harness's own control block
write_one_post_calendar c "$(utc_in 3600)" later
start_daemon
[[ $(code "$(api GET /v1/status)") == 200 ]] || fail "root cannot reach the socket at all"

ulimit -n 8192
python3 "$(dirname "$0")/lib/control_flood.py" "$SOCK" "$nobody_uid" "$nobody_gid" "$IDLE" "$SLOW" "$T/flood.json" &
FLOOD_PID=$!
wait_for 60 "[[ -f '$T/flood.json.ready' ]]" || fail "the flood did not start"

times=()
for i in $(seq 1 $SAMPLES); do
  out=$(curl -sS -m 10 --unix-socket "$SOCK" -o /dev/null -w '%{http_code} %{time_total}' http://herald/v1/status) ||
    fail "root's request $i failed during the flood: $out"
  [[ ${out%% *} == 200 ]] || fail "root's request $i got ${out%% *} during the flood"
  times+=("${out#* }")
  sleep 0.3  # pacing: the samples span the header timeout, so slowloris clients cycle too
done
held=$(curl -sS -m 10 --unix-socket "$SOCK" http://herald/metrics | sed -n 's/^herald_control_connections //p')
kill -TERM "$FLOOD_PID"; wait "$FLOOD_PID" || true; FLOOD_PID=""
python3 - "$ADMIN_BOUND_S" "$held" "$T/flood.json" "${times[@]}" <<'PY' || fail "see above"
import json, statistics, sys
bound, held, stats = float(sys.argv[1]), int(sys.argv[2]), json.load(open(sys.argv[3]))
times = sorted(float(t) for t in sys.argv[4:])
print(f"admin GET /v1/status under the flood: median {statistics.median(times)*1000:.0f} ms, "
      f"max {times[-1]*1000:.0f} ms over {len(times)}; connections open on the server: {held}; "
      f"flood: {stats['connects']} connects, answers {stats['answers']}")
ok = times[-1] < bound and held <= 16 + 2 and stats["answers"].get("503", 0) > 0
sys.exit(0 if ok else 1)
PY
stop_daemon
echo PASS
