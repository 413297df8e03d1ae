#!/usr/bin/env bash
# Usage: tracing.sh BINARY WORKDIR
# SimGrid's Paje tracing works on generated platforms, two tiers and three: the run succeeds, the trace declares
# each link once (SimGrid 3.32 declared a link at each seal() call: "container ... already present"), every
# device's uplink and downlink are in it, and tracing changes no result (images.csv as without it).
set -euo pipefail
bin=$1; work=$2
rm -rf "$work"; mkdir -p "$work"
check() { # NAME SCENARIO DEVICES
  local name=$1 scenario=$2 n=$3
  local args=(simulate "$scenario" --set devices="$n" --set duration_s=5)
  "$bin" "${args[@]}" --out "$work/$name-plain" 2> /dev/null
  "$bin" "${args[@]}" --out "$work/$name-traced" --cfg=tracing:yes --cfg=tracing/uncategorized:yes \
    --cfg=tracing/filename:"$work/$name.trace" 2> "$work/$name.err" ||
    { echo "FAIL: $name: traced run failed: $(tail -1 "$work/$name.err")"; exit 1; }
  cmp "$work/$name-plain/images.csv" "$work/$name-traced/images.csv"
  # Paje: "6 <time> <id> <type> <parent> \"<name>\"" creates a container.
  local dups
  dups=$(awk '$1 == 6 {print $NF}' "$work/$name.trace" | sort | uniq -d)
  [[ -z $dups ]] || { echo "FAIL: $name: containers declared twice: $dups"; exit 1; }
  for ((i = 0; i < n; i++)); do
    for l in uplink downlink; do
      grep -q "^6 .* \"$l-$i\"\$" "$work/$name.trace" || { echo "FAIL: $name: no container $l-$i"; exit 1; }
    done
  done
}
check two-tiers workloads/scenarios/cell-n-cameras.yaml 3
check three-tiers workloads/scenarios/cell-edge-server.yaml 4
echo "ok: traced runs on generated platforms (two and three tiers) declare each link once and change no result"
