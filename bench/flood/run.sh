#!/usr/bin/env bash
# bench/flood/run.sh: issue 6's flood comparison in one command, printed as ONE table: subguard with 1 and 4
# sender processes (flood_bench), grammY + transformer-throttler + auto-retry with the throttler's defaults in
# 1 and 4 Node processes, and with Bottleneck's Redis datastore shared by 4 processes (grammy/flood.js).
# Every row has its own sandbox (the limits are per sandbox) and its own Redis, and the rows run at the same
# time: the workload is bound by the sandbox's rate limits, not by CPU, so the whole run takes about as long
# as its slowest row. A grammY row that has not finished after the cap reports what it reached.
# Installs grammY's pinned packages into bench/flood/grammy/node_modules (git-ignored) with `npm ci`.
# Not part of ./test.sh.
#
# Usage: bench/flood/run.sh [build dir, default build] [scale, default 1.0] [cap minutes, default 10]
#   (flood_bench, subguard-sandbox and the services must be built in the build dir: `ninja -C <dir> flood_bench`)
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
build=$(cd "${1:-$here/../../build}" && pwd)
scale=${2:-1.0}
cap=${3:-10}

npm ci --prefix "$here/grammy" --no-audit --no-fund --loglevel=error >/dev/null
out=$(mktemp -d)
pids=()
trap 'kill "${pids[@]}" 2>/dev/null || true; rm -rf "$out"' EXIT

row() {  # row <name> <command...>: run one row in the background, its output in $out/<name>
  local name=$1
  shift
  "$@" >"$out/$name.out" 2>"$out/$name.err" &
  pids+=($!)
}
grammy=(node "$here/grammy/flood.js" "--sandbox=$build/bin/subguard-sandbox" "--scale=$scale" "--cap_minutes=$cap")
row 1-subguard-1 "$build/bin/flood_bench" --senders=1 "--scale=$scale"
row 2-subguard-4 "$build/bin/flood_bench" --senders=4 "--scale=$scale"
row 3-grammy-1 "${grammy[@]}" --processes=1 --mode=defaults
row 4-grammy-4 "${grammy[@]}" --processes=4 --mode=defaults
row 5-grammy-redis-4 "${grammy[@]}" --processes=4 --mode=redis

status=0
for pid in "${pids[@]}"; do wait "$pid" || status=1; done
echo "| client | processes | sends | injection | completion | best the limits allow | rate vs 30/s limit |" \
  "rate vs best | busiest 10 s | 429s | p50 latency | p99 latency |"
echo "| --- | --- | --- | --- | --- | --- | --- | --- | --- | --- | --- | --- |"
for file in "$out"/*.out; do
  grep '^| [^c-]' "$file" || true
  if [[ -s "${file%.out}.err" ]]; then sed "s|^|$(basename "${file%.out}"): |" "${file%.out}.err" >&2; fi
done
exit $status
