#!/usr/bin/env bash
# heraldctl validate and preview from the command line, as a marketer runs them:
# the example calendar is clean against the example accounts and the real
# plugins' limits; a broken one gives file:line:col errors and exit 1.
#   heraldctl_validate_calendars.sh HERALDCTL PLUGIN_DIR
set -euo pipefail
ctl=$1 plugins=$2
top=$(cd "$(dirname "$0")/../.." && pwd)
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
fail() { echo "FAIL: $*"; cat "$work/out" 2>/dev/null; exit 1; }
sed -e "s|plugin_dirs: \[\]|plugin_dirs: [$plugins]|" "$top/configs/herald.yaml" >"$work/herald.yaml"

"$ctl" --config "$work/herald.yaml" validate "$top/examples/calendars" >"$work/out" 2>&1 ||
  fail "the example calendar does not validate clean"
grep -q "OK" "$work/out" || fail "no OK line"

"$ctl" --config "$work/herald.yaml" preview "$top/examples/calendars" --target youtube/corner-cleaners-tv \
  >"$work/out" 2>&1 || fail "preview failed"
grep -q "Show us your team spirit" "$work/out" || fail "preview misses the YouTube post"

# The plugins' own validate() is asked too: YouTube refuses '<' in a title,
# which no limit says; the error points at the post.
mkdir "$work/angled"
cat >"$work/angled/tv.yaml" <<'YAML'
calendar: tv
time_zone: UTC
targets: [youtube/corner-cleaners-tv]
campaigns:
  - id: k
    goal: awareness
    posts:
      - id: angled
        at: 2027-01-05 09:00
        text: Behind the counter
        youtube: {title: "<Behind> the counter"}
YAML
cp "$top/examples/calendars/media/behind-the-counter.mp4" "$work/angled/"
printf '        media: [behind-the-counter.mp4]\n' >>"$work/angled/tv.yaml"
rc=0
"$ctl" --config "$work/herald.yaml" validate "$work/angled" >"$work/out" 2>&1 || rc=$?
[[ $rc -eq 1 ]] || fail "a post the YouTube plugin refuses exits $rc, not 1"
grep -q "^$work/angled/tv.yaml:8:9: error: post \`angled\`: youtube/corner-cleaners-tv: YouTube refuses '<' and '>' in titles and descriptions (options.title)" "$work/out" ||
  fail "no error from the plugin's validate()"

mkdir "$work/bad"
printf 'calendar: bad\ntime_zone: Mars/Olympus\ncampaigns: []\n' >"$work/bad/bad.yaml"
rc=0
"$ctl" validate "$work/bad" >"$work/out" 2>&1 || rc=$?
[[ $rc -eq 1 ]] || fail "a broken calendar exits $rc, not 1"
grep -q "^$work/bad/bad.yaml:2:12: error: " "$work/out" || fail "no file:line:col error"
echo ok
