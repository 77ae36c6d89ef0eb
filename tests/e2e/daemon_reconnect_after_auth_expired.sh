#!/usr/bin/env bash
# An account whose token the platform refuses is paused (auth_expired), and
# the pause survives a kill -9. After a reconnect, the new credentials are
# read again: a credentials file heraldd may not read (mode 0644) is logged
# when it changes and makes the resume a 409 naming the fix, with the
# account still paused and nothing sent; once fixed, the resume goes through
# and the post goes out with the new token, once.
#   daemon_reconnect_after_auth_expired.sh HERALDD PLUGIN_DIR SANDBOX
source "$(dirname "$0")/lib/daemon_harness.sh" "$1" "$2"
SANDBOX=$3
top=$(cd "$(dirname "$0")/../.." && pwd)

start_sandbox "$SANDBOX" "$top/examples/sandbox.yaml"
on_sandbox() { curl -s "$URL/_sandbox/posts" | grep -oF "$1" | wc -l; }
A=facebook/corner-cleaners

mkdir -p "$T/secrets"
(umask 077; printf '%s:\n  access_token: sandbox-fb-revoked-long-ago\n' $A >"$T/secrets/credentials.yaml")
write_config "  $A:
    api_base: $URL
    credentials: $A
    settings: {page_id: \"104000000000001\"}
credentials_file: $T/secrets/credentials.yaml
retry: {base_delay: 200ms, max_delay: 1s, max_attempts: 3, jitter: none}"
write_calendar shop <<YAML
calendar: shop
time_zone: UTC
targets: [$A]
campaigns:
  - id: c
    goal: retention
    posts:
      - {id: first, at: "$(utc_in 3600)", text: "first post, after a reconnect"}
YAML
start_daemon
account_state() { json_eval 'j["accounts"][0]["state"]' "$(api /v1/accounts)"; }
api "/v1/jobs/$(job first 'j["id"]')/publish-now" -X POST -d '{}' >/dev/null
wait_for 15 '[[ $(account_state) == auth_expired ]]' || fail "the refused token did not pause the account: $(api /v1/accounts)"
[[ $(job first 'j["state"]') == pending ]] || fail "the post must wait, pending: $(job first j)"

# The pause is journaled: a kill -9 and a restart keep it.
kill_daemon
start_daemon
[[ $(account_state) == auth_expired ]] || fail "the pause was forgotten by the restart: $(api /v1/accounts)"

# Reconnected, but the file is left readable by others: heraldd says so as
# the file changes, and the resume is refused with the fix, still paused.
printf '%s:\n  access_token: sandbox-fb-corner-cleaners\n' $A >"$T/secrets/next.yaml"
chmod 644 "$T/secrets/next.yaml"; mv "$T/secrets/next.yaml" "$T/secrets/credentials.yaml"
wait_for 10 "grep -q 'credentials (the file changed): .*chmod 600' '$T/heraldd.log'" ||
  fail "the unreadable credentials file was not reported"
r=$(curl -sS --unix-socket "$T/herald.sock" -w '\n%{http_code}' -X POST http://herald/v1/resume \
  -d "{\"scope\":\"account\",\"name\":\"$A\"}")
[[ $(tail -n1 <<<"$r") == 409 ]] || fail "resume over unreadable credentials: $r"
grep -q 'chmod 600' <<<"$r" || fail "the refusal does not say how to fix it: $r"
[[ $(account_state) == auth_expired ]] || fail "a refused resume lifted the pause"

chmod 600 "$T/secrets/credentials.yaml"
api /v1/resume -X POST -d "{\"scope\":\"account\",\"name\":\"$A\"}" >/dev/null || fail "resume"
wait_for 15 '[[ $(job first "j[\"state\"]") == published ]]' || fail "not published after the resume: $(job first j)"
wait_for 15 settled || fail "the posts did not settle: $(api /v1/status)"
[[ $(on_sandbox "first post, after a reconnect") == 1 ]] || fail "the post is on the sandbox $(on_sandbox "first post, after a reconnect") times"
grep -q 'sandbox-fb-' "$T/heraldd.log" && fail "a token reached the log"
echo ok
