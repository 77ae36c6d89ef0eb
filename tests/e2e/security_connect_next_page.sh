# heraldctl connect lists the Pages with the user's token and follows the
# listing's `paging.next`, a URL the answer names. A forged listing (the
# sandbox's `forge` fault) whose next page is on another port, through user
# info or on another scheme stops the connect with a clear error: the catcher
# standing in for the attacker receives nothing and no credentials are written.
#   security_connect_next_page.sh HERALD_SANDBOX BUILD_DIR HERALDCTL
source "$(dirname "$0")/lib/sandbox_harness.sh"
source "$(dirname "$0")/lib/connect_harness.sh"
start_sandbox
write_config facebook
start_catcher

for next in "http://127.0.0.1:$CPORT/v26.0/me/accounts?after=x" \
  "http://127.0.0.1:$SPORT@127.0.0.1:$CPORT/v26.0/me/accounts?after=x" \
  "https://127.0.0.1:$SPORT/v26.0/me/accounts?after=x"; do
  body="{\"data\":[{\"id\":\"1\",\"name\":\"Decoy\",\"access_token\":\"EAAsandbox-forged-page\"}],\"paging\":{\"next\":$(jstr "$next")}}"
  curl -sS -X POST -H 'Content-Type: application/json' "${URL}_sandbox/faults" \
    -d "{\"kind\":\"forge\",\"status\":200,\"path\":\"/v*/me/accounts\",\"method\":\"GET\",\"body\":$(jstr "$body")}" >/dev/null
  start_connect facebook/corner-cleaners --client-secret-file "$WORK/secret" --page "$FB"
  authorize
  deliver
  finish_connect
  [[ $CONNECT_RC == 1 ]] || fail "next page $next: heraldctl exited $CONNECT_RC: $(cat "$WORK/connect.err")"
  grep -q "not the Graph API's origin; herald sends your token nowhere else" "$WORK/connect.err" ||
    fail "next page $next: $(cat "$WORK/connect.err")"
  [[ ! -s $WORK/caught.jsonl ]] || fail "the user's token left: $(cat "$WORK/caught.jsonl")"
  [[ ! -e $WORK/credentials.yaml ]] || fail "credentials written after a refused listing"
  no_secret_leaked
done
echo PASS
