# Graph error shapes: 190 for unknown/expired tokens, 100 for missing params.
source "$(dirname "$0")/lib/sandbox_harness.sh"
SANDBOX_CONFIG=$TOP/tests/fixtures/sandbox/expired.yaml start_sandbox
out=$(req POST "/v21.0/$FB/feed" -d message=hi -d access_token=nope); expect_status 400 "$out"
[[ $(json 'j["error"]["code"]' "$out") == 190 ]] || fail "$out"
[[ $(json '"fbtrace_id" in j["error"] and j["error"]["type"]' "$out") == OAuthException ]] || fail "$out"
out=$(req POST "/v21.0/$FB/feed" -d message=hi -d access_token=sandbox-fb-expired); expect_status 400 "$out"
[[ $(json 'j["error"]["error_subcode"]' "$out") == 463 ]] || fail "$out"
out=$(req POST "/v21.0/$FB/feed" -d access_token=$FB_TOKEN); expect_status 400 "$out"
[[ $(json 'j["error"]["code"]' "$out") == 100 ]] || fail "$out"
echo PASS
