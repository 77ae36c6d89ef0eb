# Peer credentials decide: a user who is neither viewer nor admin gets 403
# naming the role; one outside the socket's group cannot even connect.
source "$(dirname "$0")/lib/control_harness.sh"
id nobody >/dev/null 2>&1 && command -v setpriv >/dev/null && [[ $(id -u) == 0 ]] || { echo "SKIP: needs root, setpriv and user nobody"; exit 0; }
NOGROUP=$(id -gn nobody)
chmod 711 "$WORK" "$WORK/run"
cat >"$WORK/herald.yaml" <<YAML
calendar_dirs: [$WORK/calendars]
plugin_dirs: [$PLUGINS]
state_dir: $WORK/state
control:
  socket: $SOCK
  group: $NOGROUP
  viewers:
    users: [daemon]
accounts:
  outbox/local:
    settings: {path: $OUTBOX}
YAML
start_daemon
[[ $(stat -c '%a %G' "$SOCK") == "660 $NOGROUP" ]] || fail "socket mode/group: $(stat -c '%a %G' "$SOCK")"
as_nobody() { setpriv --reuid=nobody --regid="$NOGROUP" --clear-groups "$@"; }
r=$(as_nobody curl -sS --unix-socket "$SOCK" -w '\n%{http_code}' http://herald/v1/status)
expect_status 403 "$r"
grep -q 'needs the viewer role' <<<"$r" || fail "403 does not name the role: $r"
r=$(as_nobody curl -sS --unix-socket "$SOCK" -X POST -w '\n%{http_code}' http://herald/v1/reload)
grep -q 'needs the admin role' <<<"$r" || fail "403 does not name admin: $r"
set +e; out=$(as_nobody env HERALD_SOCKET="$SOCK" "$HERALDCTL" status 2>&1); rc=$?; set -e
[[ $rc == 4 ]] || fail "heraldctl as nobody: exit $rc: $out"
set +e; out=$(setpriv --reuid=daemon --regid=daemon --clear-groups env HERALD_SOCKET="$SOCK" "$HERALDCTL" status 2>&1); rc=$?; set -e
[[ $rc == 4 ]] || fail "outside the group: exit $rc: $out"
grep -q 'permission denied' <<<"$out" || fail "outside the group: $out"
expect_status 200 "$(api GET /v1/status)"
echo PASS
