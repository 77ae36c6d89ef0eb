#!/usr/bin/env bash
# Posts due in a few seconds are published once each, on time; a restart
# publishes nothing again; SIGTERM exits 0.
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
wait_for 15 '[[ $(published "Hi Cy") -ge 1 && $(published "We are open") -ge 1 && $(published "Hi Ann") -ge 1 && $(published "Hi Bob") -ge 1 ]]' \
  || fail "not all four posts were published"
stop_daemon
start_daemon
sleep 1
stop_daemon
for text in "We are open" "Hi Ann" "Hi Bob" "Hi Cy"; do
  [[ $(published "$text") -eq 1 ]] || fail "\"$text\" published $(published "$text") times"
done
grep -q "heraldd stopped" "$T/heraldd.log" || fail "no clean stop logged"
echo ok
