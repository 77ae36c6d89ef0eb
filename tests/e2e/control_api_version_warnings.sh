# Accounts whose Graph API version expires within 90 days, has expired or is
# unknown to the connector are warned about, with a fixed "today"
# (HERALD_TEST_TODAY=2026-12-01, when v21.0 has 51 days left and v20.0 expired
# 68 days ago): in heraldd's log at start, /v1/status, /v1/accounts, /metrics
# (the days-left gauge), heraldctl status and heraldctl validate. The
# connectors' default version is current and warns nowhere; on 2026-10-01
# v21.0 is 112 days away and is not warned about either.
source "$(dirname "$0")/lib/control_harness.sh"
write_config
cat >>"$WORK/herald.yaml" <<YAML
  facebook/old:
    settings: {page_id: "1", api_version: v21.0}
  facebook/older:
    settings: {page_id: "2", api_version: v20.0}
  facebook/typo:
    settings: {page_id: "3", api_version: v30.0}
  instagram/current:
    settings: {ig_user_id: "4"}
YAML
export HERALD_TEST_TODAY=2026-12-01
start_daemon

grep -q "warning.*facebook/old: Graph API v21.0 expires on 2027-01-21, in 51 days" "$WORK/heraldd.log" ||
  fail "no start-up warning for v21.0"
grep -q "warning.*facebook/older: Graph API v20.0 expired on 2026-09-24 (68 days ago)" "$WORK/heraldd.log" ||
  fail "no start-up warning for v20.0"
grep -q "instagram/current: Graph API" "$WORK/heraldd.log" && fail "the current default was warned about"

out=$(api GET /v1/status); expect_status 200 "$out"
[[ $(json '[(w["account"], w["state"], w["days_left"]) for w in j["api_warnings"]]' "$(body "$out")") == \
   "[('facebook/old', 'expiring', 51), ('facebook/older', 'expired', -68), ('facebook/typo', 'unknown', None)]" ]] ||
  fail "api_warnings: $(body "$out")"

out=$(api GET /v1/accounts); expect_status 200 "$out"
accounts=$(body "$out")
[[ $(json '{a["name"]: a["api"]["state"] for a in j["accounts"] if a["api"]}' "$accounts") == \
   "{'facebook/old': 'expiring', 'facebook/older': 'expired', 'facebook/typo': 'unknown', 'instagram/current': 'current'}" ]] ||
  fail "accounts: $accounts"
[[ $(json '[a["api"] for a in j["accounts"] if a["name"] == "outbox/local"][0]' "$accounts") == None ]] ||
  fail "the outbox says nothing of an API: $accounts"
[[ $(json '[a["api"] for a in j["accounts"] if a["name"] == "instagram/current"][0]["version"]' "$accounts") == v26.0 ]] ||
  fail "instagram's default is not v26.0: $accounts"

metrics=$(body "$(api GET /metrics)")
grep -qx 'herald_api_version_expiry_days{account="facebook/old",api="Graph API",version="v21.0"} 51' <<<"$metrics" ||
  fail "no gauge for v21.0: $(grep api_version <<<"$metrics")"
grep -qx 'herald_api_version_expiry_days{account="facebook/older",api="Graph API",version="v20.0"} -68' <<<"$metrics" ||
  fail "no gauge for v20.0"
grep -q 'account="instagram/current"' <<<"$metrics" && fail "a gauge without an announced expiry"

status=$(ctl status)
grep -q "^warning: facebook/old: Graph API v21.0 expires on 2027-01-21, in 51 days" <<<"$status" ||
  fail "heraldctl status: $status"
grep -q "^warning: facebook/typo: Graph API v30.0 is not a version its connector knows" <<<"$status" ||
  fail "heraldctl status lacks the unknown version"

mkdir -p "$WORK/cal"
printf 'calendar: empty\ntime_zone: UTC\ntargets: [outbox/local]\ncampaigns: []\n' >"$WORK/cal/empty.yaml"
ctl --config "$WORK/herald.yaml" validate "$WORK/cal" >"$WORK/validate.out" 2>"$WORK/validate.err" ||
  fail "validate failed: $(cat "$WORK/validate.err")"
grep -q "herald.yaml: warning: facebook/older: Graph API v20.0 expired on 2026-09-24" "$WORK/validate.err" ||
  fail "heraldctl validate: $(cat "$WORK/validate.err")"

stop_daemon
HERALD_TEST_TODAY=2026-10-01 ctl --config "$WORK/herald.yaml" validate "$WORK/cal" >/dev/null 2>"$WORK/validate.err" ||
  fail "validate failed"
grep -q "facebook/old:" "$WORK/validate.err" && fail "v21.0 warned about 112 days ahead: $(cat "$WORK/validate.err")"
grep -q "facebook/older: Graph API v20.0 expired on 2026-09-24 (7 days ago)" "$WORK/validate.err" ||
  fail "v20.0 on 2026-10-01: $(cat "$WORK/validate.err")"
echo PASS
