#!/usr/bin/env bash
# Posts due in a few seconds are published once each, on time; a restart
# publishes nothing again (checked once the daemon reports nothing pending,
# running or unknown); SIGTERM exits 0.
source "$(dirname "$0")/lib/daemon_harness.sh" "$@"

write_calendar shop <<YAML
calendar: shop
time_zone: UTC
targets: [outbox/local]
audiences:
  regulars:
    members:
      - {key: ann, name: Ann}
      - {key: bob, name: Bob}
      - {key: cy, name: Cy}
campaigns:
  - id: hello
    goal: retention
    posts:
      - id: opening
        at: $(utc_in 2)
        text: We are open
      - id: greeting
        at: $(utc_in 3)
        for_each: regulars
        text: Hi {{name}}
YAML

start_daemon
[[ $(last_load 'j["jobs"]') == 4 ]] || fail "not four jobs loaded: $(last_load j)"
wait_for 15 settled || fail "the posts did not settle: $(api /v1/status)"
[[ $(status 'j["jobs"]["published"]') == 4 ]] || fail "not four published: $(api /v1/status)"
[[ $(json_eval 'all(x["state"] == "published" and x["attempts"] == 1 for x in j["jobs"])' \
       "$(api '/v1/jobs?limit=100')") == True ]] || fail "not each job published in one attempt"
stop_daemon
start_daemon
wait_for 15 settled || fail "the restart left work: $(api /v1/status)"
stop_daemon
for text in "We are open" "Hi Ann" "Hi Bob" "Hi Cy"; do
  [[ $(published "$text") -eq 1 ]] || fail "\"$text\" published $(published "$text") times"
done
echo ok
