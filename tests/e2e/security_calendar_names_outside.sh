# The audit's second attack, and its kin: whoever writes a calendar folder
# names, as an audience, a file outside it (`../`, an absolute path, a link,
# a hard link, a FIFO), or plants a calendar file that is a link to a file
# only the daemon may read. heraldd refuses each at the calendar's `file:`
# line (or the planted file) with file:line:col, keeps its last good
# calendars, never blocks, and no byte of those files reaches a post, a
# diagnostic, the log or the API.
source "$(dirname "$0")/lib/security_harness.sh" "$@"
PRIVATE="private-$RANDOM$RANDOM-never-rendered"
mkdir -p "$T/outside" "$T/calendars/lists"
printf 'key,secret\nx,%s\n' "$PRIVATE" >"$T/outside/secret.csv"
printf 'calendar: %s\ntime_zone: UTC\n' "$PRIVATE" >"$T/outside/private.yaml"
chmod 600 "$T/outside/secret.csv" "$T/outside/private.yaml"
write_security_config
at=$(utc_in 3600)
write_one_post_calendar good "$at" "the last good calendar"
start_daemon
[[ $(json 'j["jobs"]["pending"]' "$(body "$(api GET /v1/status)")") == 1 ]] || fail "the good calendar did not load"

ln -s ../../outside/secret.csv "$T/calendars/lists/link.csv"
ln "$T/outside/secret.csv" "$T/calendars/lists/twin.csv"
mkfifo "$T/calendars/lists/pipe.csv"
cat >"$T/calendars/aud.yaml.tmp" <<YAML
calendar: aud
time_zone: UTC
targets: [outbox/local]
audiences:
  climbs:
    file: ../outside/secret.csv
  absolute:
    file: $T/outside/secret.csv
  linked:
    file: lists/link.csv
  twin:
    file: lists/twin.csv
  pipe:
    file: lists/pipe.csv
campaigns:
  - id: c
    goal: retention
    posts:
      - {id: p, at: "$at", for_each: climbs, text: "Psst {{secret}}"}
YAML
mv "$T/calendars/aud.yaml.tmp" "$T/calendars/aud.yaml"
ln -s "$T/outside/private.yaml" "$T/calendars/planted.yaml"

r=$(api POST /v1/reload)
[[ $(code "$r") == 200 ]] || fail "reload: $r"
load=$(body "$r")
[[ $load != *"$PRIVATE"* ]] || fail "the private file reached the load result: $load"
# diag FILE LINE COL WORDS: one error diagnostic there that says WORDS.
diag() {
  python3 - "$load" "$1" "$2" "$3" "$4" <<'PY' || fail "no error at $1:$2:$3 saying '$4': $load"
import json, sys
j, file, line, col, words = json.loads(sys.argv[1]), sys.argv[2], int(sys.argv[3]), int(sys.argv[4]), sys.argv[5]
assert any(d["file"].endswith(file) and d["line"] == line and d["col"] == col and
           d["severity"] == "error" and words in d["message"] for d in j["diagnostics"])
PY
}
diag aud.yaml 6 11 "audience file \`../outside/secret.csv\` leads outside the calendar's folder"
diag aud.yaml 8 11 "must be relative to the calendar's folder, not absolute"
diag aud.yaml 10 11 "is a symbolic link or goes through one"
diag aud.yaml 12 11 "hard links"
diag aud.yaml 14 11 "is a FIFO, not a regular file"
diag planted.yaml 1 1 "this file is a symbolic link or goes through one"

# The last good calendar stays, and nothing rendered the private rows.
s=$(body "$(api GET /v1/status)")
[[ $(json 'j["jobs"]["pending"]' "$s") == 1 ]] || fail "the last good calendar was replaced: $s"
[[ $s != *"$PRIVATE"* ]] || fail "the private file reached /v1/status"
jobs=$(body "$(api GET '/v1/jobs?limit=1000')")
[[ $jobs != *"$PRIVATE"* && $(json 'len(j["jobs"])' "$jobs") == 1 ]] || fail "jobs: $jobs"
! grep -qF "$PRIVATE" "$T/heraldd.log" || fail "the private file reached the log"
kill -0 "$DAEMON_PID" || fail "heraldd died (or blocked on the FIFO)"
no_secret_anywhere
stop_daemon
echo PASS
