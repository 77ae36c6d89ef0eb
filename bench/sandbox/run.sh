#!/usr/bin/env bash
# Benchmarks herald-sandbox as a publish sink: wrk with keep-alive posting to
# POST /v21.0/{page-id}/feed. Prints each run's requests/s and the median.
#   bench/sandbox/run.sh PATH/TO/herald-sandbox [runs=5] [seconds=10] [connections=32] [threads=2]
set -euo pipefail
bin=${1:?usage: $0 herald-sandbox [runs] [seconds] [connections] [threads]}
runs=${2:-5}; seconds=${3:-10}; connections=${4:-32}; threads=${5:-2}
top=$(cd "$(dirname "$0")/../.." && pwd)
work=$(mktemp -d)
"$bin" --config "$top/examples/sandbox.yaml" --listen 127.0.0.1:0 >"$work/out" 2>&1 &
pid=$!
trap 'kill $pid 2>/dev/null || true; wait $pid 2>/dev/null || true; rm -rf "$work"' EXIT
for _ in $(seq 1 100); do grep -q listening "$work/out" && break; sleep 0.1; done
url=$(sed -n 's/^herald-sandbox listening on //p' "$work/out")
rates=()
for i in $(seq 1 "$runs"); do
  rate=$(wrk -t"$threads" -c"$connections" -d"${seconds}s" -s "$top/bench/sandbox/publish.lua" "$url" |
         awk '/Requests\/sec/ {print $2}')
  echo "run $i: $rate req/s"
  rates+=("$rate")
done
printf '%s\n' "${rates[@]}" | sort -n | awk '{a[NR]=$1} END {print "median: " a[int((NR+1)/2)] " req/s"}'
