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

# The README's own command, with the shipped configuration (plugin_dirs: []):
# heraldctl finds the plugins built beside it, as heraldd does, says so, and
# checks their limits: a 2,300-character Instagram text, 40 hashtags, a
# YouTube post with only an image, an Instagram post without media.
mkdir "$work/limits"
cp "$top/examples/calendars/media/stain-tip.jpg" "$work/limits/"
long=$(printf 'a%.0s' $(seq 1 2300))
tags=$(for i in $(seq 1 40); do printf '#t%d ' "$i"; done)
cat >"$work/limits/limits.yaml" <<YAML
calendar: limits
time_zone: America/Chicago
campaigns:
  - id: k
    goal: awareness
    posts:
      - id: long
        at: 2027-01-05 09:00
        targets: [instagram/corner-cleaners]
        text: $long
        media: [stain-tip.jpg]
      - id: tags
        at: 2027-01-06 09:00
        targets: [instagram/corner-cleaners]
        text: "$tags"
        media: [stain-tip.jpg]
      - id: picture-on-youtube
        at: 2027-01-07 09:00
        targets: [youtube/corner-cleaners-tv]
        text: A picture is not a video.
        youtube: {title: Behind the counter}
        media: [stain-tip.jpg]
      - id: no-media
        at: 2027-01-08 09:00
        targets: [instagram/corner-cleaners]
        text: Instagram needs a picture.
YAML
rc=0
(cd "$top" && "$ctl" --config configs/herald.yaml validate "$work/limits") >"$work/out" 2>&1 || rc=$?
[[ $rc -eq 1 ]] || fail "the README's validate exits $rc on posts over the limits, not 1"
grep -q "^heraldctl: checking against the limits of .*instagram.*youtube" "$work/out" ||
  fail "heraldctl does not say which limits it checked"
for want in ":10:15: error: post \`long\`: instagram text: 2300 characters, more than the 2200" \
            ":15:15: error: post \`tags\`: instagram text: 40 hashtags, more than the 30" \
            ":22:17: error: post \`picture-on-youtube\`: youtube does not accept images" \
            ":23:9: error: post \`no-media\`: instagram needs at least one image or video"; do
  grep -qF "$want" "$work/out" || fail "no error like: $want"
done

# A target platform without a plugin is a warning at the target, never a silent OK.
mkdir "$work/noplugin"
cat >"$work/noplugin/tt.yaml" <<'YAML'
calendar: tt
time_zone: UTC
targets: [tiktok/corner-cleaners]
campaigns:
  - id: k
    goal: awareness
    posts:
      - id: p
        at: 2027-01-05 09:00
        text: Hello.
YAML
"$ctl" validate "$work/noplugin" >"$work/out" 2>&1 || fail "a platform without a plugin is an error"
grep -qF "tt.yaml:3:11: warning: no plugin for \`tiktok\` was loaded, so posts to \`tiktok/corner-cleaners\` are not checked against its limits" "$work/out" ||
  fail "no warning for a platform without a plugin"

mkdir "$work/bad"
printf 'calendar: bad\ntime_zone: Mars/Olympus\ncampaigns: []\n' >"$work/bad/bad.yaml"
rc=0
"$ctl" validate "$work/bad" >"$work/out" 2>&1 || rc=$?
[[ $rc -eq 1 ]] || fail "a broken calendar exits $rc, not 1"
grep -q "^$work/bad/bad.yaml:2:12: error: " "$work/out" || fail "no file:line:col error"
echo ok
