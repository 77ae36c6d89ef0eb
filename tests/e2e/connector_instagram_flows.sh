# Instagram connector against the sandbox: image, carousel, reel and story
# through containers (create -> wait for FINISHED as continue{at} -> publish
# -> permalink); a kill after the container exists resumes without a second
# container or post; ERROR containers fail; missing public URL fails; the
# content publishing cap is a retry at a later time; find and metrics.
source "$(dirname "$0")/lib/connector_harness.sh"
cat >"$WORK/c.yaml" <<YAML
processing: {instagram_container_seconds: 0.3}
rate_limits: {instagram_posts_per_day: 5}
accounts:
  - {platform: instagram, id: "$IG", name: corner-cleaners, tokens: [$IG_TOKEN]}
YAML
SANDBOX_CONFIG=$WORK/c.yaml start_sandbox
serve_media
printf '\xff\xd8\xff\xe0fakejpeg' >"$WORK/www/a.jpg"
printf '\x00\x00\x00\x18ftypmp42\x00\x00\x00\x00mp42isomfakevideo' >"$WORK/www/v.mp4"
write_creds instagram/corner-cleaners access_token=$IG_TOKEN
CFG="{\"ig_user_id\":\"$IG\"}"
A=instagram/corner-cleaners
img() { echo "{\"path\":\"$WORK/www/a.jpg\",\"kind\":\"image\",\"mime_type\":\"image/jpeg\",\"public_url\":\"$MEDIA_URL/a.jpg\"}"; }
vid() { echo "{\"path\":\"$WORK/www/v.mp4\",\"kind\":\"video\",\"mime_type\":\"video/mp4\",\"public_url\":\"$MEDIA_URL/v.mp4\"}"; }
published() { [[ $(field 'j["outcome"]' "$(last_line "$1")") == published ]] || fail "$2: $1"; }

due=$(($(date +%s) * 1000))
out=$(drive $A "$CFG" --post-json "{\"id\":\"i1\",\"text\":\"Game day #GoTigers\",\"due_ms\":$due,\"media\":[$(img)]}")
published "$out" image
grep -q '"outcome":"continue"' <<<"$out" || fail "the FINISHED wait is a continue: $out"
[[ $(field 'j["url"]' "$(last_line "$out")") == *ig-* ]] || fail "no permalink: $out"
image_id=$(field 'j["remote_id"]' "$(last_line "$out")")

out=$(drive $A "$CFG" --post-json "{\"id\":\"i2\",\"text\":\"Three looks\",\"media\":[$(img),$(img),$(vid)]}")
published "$out" carousel

out=$(drive $A "$CFG" --post-json "{\"id\":\"i3\",\"text\":\"Behind the counter\",\"media\":[$(vid)]}")
published "$out" reel

out=$(drive $A "$CFG" --post-json "{\"id\":\"i4\",\"text\":\"\",\"options\":{\"kind\":\"story\"},\"media\":[$(img)]}")
published "$out" story
[[ $(sandbox_posts $IG) == 4 ]] || fail "four posts expected"

# Kill after the container exists, resume from the checkpoint: one container, one post.
post5="{\"id\":\"i5\",\"text\":\"Resumed\",\"media\":[$(img)]}"
out=$(drive $A "$CFG" --post-json "$post5" --max-steps 1)
cp=$(field 'j["checkpoint"]' "$(last_line "$out")")
[[ $cp == *c=* ]] || fail "checkpoint without the container id: $out"
out=$(drive $A "$CFG" --post-json "$post5" --checkpoint "$cp")
published "$out" resume
[[ $(sandbox_posts $IG) == 5 ]] || fail "exactly one post after the resume"
containers=$(json_eval 'j["count"]' "$(curl -sS "${URL}_sandbox/requests?path=/v*/$IG/media&method=POST")")
[[ $containers == 8 ]] || fail "expected 8 containers (1 + 3+1 + 1 + 1 + 1), got $containers"

# The cap (5 a day) is reached: a retry at a later time, not a failure.
out=$(drive $A "$CFG" --post-json "{\"id\":\"i6\",\"text\":\"Over the cap\",\"media\":[$(img)]}")
[[ $(field 'j["outcome"]' "$out") == retry ]] || fail "cap: $out"
(( $(field 'j["at_ms"]' "$out") > $(date +%s)000 )) || fail "cap without a time: $out"

out=$(drive $A "$CFG" --find --post-json "{\"id\":\"i1\",\"text\":\"Game day #GoTigers\",\"due_ms\":$due,\"media\":[$(img)]}")
[[ $(field 'j["find"]' "$out") == found && $(field 'j["remote_id"]' "$out") == "$image_id" ]] || fail "find: $out"
out=$(drive $A "$CFG" --find --post-json "{\"id\":\"x\",\"text\":\"never\",\"due_ms\":$due,\"media\":[$(img)]}")
[[ $(field 'j["find"]' "$out") == not_found ]] || fail "find absent: $out"
fault '{"kind":"status","status":500,"path":"/v*/*/media","method":"GET"}'
out=$(drive $A "$CFG" --find --post-json "{\"id\":\"x\",\"text\":\"never\",\"due_ms\":$due,\"media\":[$(img)]}")
[[ $(field 'j["find"]' "$out") == cannot_tell ]] || fail "find cannot tell: $out"
out=$(drive $A "$CFG" --metrics "$image_id")
[[ $(field "'reach' in j['metrics']['$image_id'] and 'likes' in j['metrics']['$image_id']" "$out") == True ]] || fail "metrics: $out"
echo PASS
