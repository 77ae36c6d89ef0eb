# poll SECONDS COMMAND...: runs COMMAND every 50 ms until it succeeds (then
# returns 0) or SECONDS have passed (then 1). The one way the end-to-end
# scripts wait: for observable state, with a deadline, never for a fixed time.
poll() {
  local deadline=$(( ${EPOCHREALTIME/./} / 1000 + $1 * 1000 ))
  shift
  until "$@"; do (( ${EPOCHREALTIME/./} / 1000 < deadline )) || return 1; sleep 0.05; done
}
