#!/usr/bin/env bash
# The scale benchmark of docs/performance.md, section 8: images per wall second and peak memory with 1, 1,000 and
# 10,000 devices, about 100,000 images each, in a scenario where nothing saturates, with SimGrid's default settings.
#   tests/bench/scale.sh [--build DIR] [--repeat N]      # prints a markdown table on stdout; about 2 minutes
#   tests/bench/scale.sh [--build DIR] --alternate N     # 1 device then 10,000, N times: the ratio of each pair
# Every run is pinned to one CPU (taskset -c 0; --cpu N for another): unpinned, the scheduler's moves between this
# machine's two vCPUs made the same run take 1.4 s or 2.7 s; pinned, 1.40 to 1.47 s.
# Scenario: workloads/scenarios/cell-n-cameras.yaml (dynamic POPEX, gamma 50, 4G access links, Poisson 1 image/s per
# device) with no shared cell (--set bottleneck=null) and a cloud of 1000 slots (--set cloud.slots=1000): no link
# and no cloud slot is shared, so the images/s compare the simulator, not a queue.
set -euo pipefail
ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
BUILD=$ROOT/build/release
REPEAT=3
ALTERNATE=0
CPU=0
while [[ $# -gt 0 ]]; do
  case $1 in
    --build) BUILD=$(cd "$2" && pwd); shift ;;
    --repeat) REPEAT=$2; shift ;;
    --alternate) ALTERNATE=$2; shift ;;
    --cpu) CPU=$2; shift ;;
    -h | --help) sed -n '2,10p' "${BASH_SOURCE[0]}" | sed 's/^# \{0,1\}//'; exit 0 ;;
    *) echo "scale.sh: unknown option '$1' (try --help)" >&2; exit 2 ;;
  esac
  shift
done
SIM=$BUILD/popex-sim
[[ -x $SIM && -x /usr/bin/time ]] || { echo "scale.sh: needs $SIM and /usr/bin/time (Debian package 'time')" >&2; exit 2; }
PIN=()
if command -v taskset > /dev/null; then PIN=(taskset -c "$CPU"); fi
WORK=$(mktemp -d)
trap 'rm -rf "$WORK"' EXIT

if ((ALTERNATE > 0)); then
  echo "| pair | 1 device (100,000 s) | 10,000 devices (10 s) | images/s at 10,000 / images/s at 1 |"
  echo "|---:|---:|---:|---:|"
  for ((r = 1; r <= ALTERNATE; r++)); do
    for spec in 1:100000 10000:10; do
      /usr/bin/time -f '%e' -o "$WORK/alt.${spec%%:*}" "${PIN[@]}" "$SIM" simulate \
        "$ROOT/workloads/scenarios/cell-n-cameras.yaml" --set devices="${spec%%:*}" --set bottleneck=null \
        --set cloud.slots=1000 --set duration_s="${spec##*:}" --out "$WORK/alt-${spec%%:*}" > /dev/null 2>&1
    done
    one=$(($(wc -l < "$WORK/alt-1/images.csv") - 1))
    many=$(($(wc -l < "$WORK/alt-10000/images.csv") - 1))
    awk -v r="$r" -v a="$(cat "$WORK/alt.1")" -v b="$(cat "$WORK/alt.10000")" -v i1="$one" -v i2="$many" \
      'BEGIN {printf "| %d | %.2f s | %.2f s | %.3f |\n", r, a, b, (i2 / b) / (i1 / a)}'
  done
  exit 0
fi

echo "| devices | duration_s | images | decisions | wall (median of $REPEAT) | set-up | images/s (wall) | vs 1 device | peak RSS |"
echo "|---:|---:|---:|---:|---:|---:|---:|---:|---:|"
base=""
for spec in 1:100000 1000:100 10000:10; do
  n=${spec%%:*}
  d=${spec##*:}
  args=(simulate "$ROOT/workloads/scenarios/cell-n-cameras.yaml" --set devices="$n" --set bottleneck=null
        --set cloud.slots=1000)
  for ((r = 0; r < REPEAT; r++)); do
    /usr/bin/time -f '%e %M' -o "$WORK/t$r" "${PIN[@]}" "$SIM" "${args[@]}" --set duration_s="$d" --out "$WORK/run" \
      2> /dev/null
  done
  # Set-up and tear-down: the same run with 1 ms of simulated time.
  /usr/bin/time -f '%e %M' -o "$WORK/setup" "${PIN[@]}" "$SIM" "${args[@]}" --set duration_s=0.001 \
    --out "$WORK/setup-run" 2> /dev/null
  wall=$(cat "$WORK"/t* | awk '{print $1}' | sort -g | awk '{a[NR] = $1} END {print a[int((NR + 1) / 2)]}')
  rss=$(cat "$WORK"/t* | awk '{print $2}' | sort -g | tail -1)
  images=$(($(wc -l < "$WORK/run/images.csv") - 1))
  decisions=$(($(wc -l < "$WORK/run/decisions.csv") - 1))
  rate=$(awk -v i="$images" -v w="$wall" 'BEGIN {printf "%.0f", i / w}')
  [[ -n $base ]] || base=$rate
  awk -v n="$n" -v d="$d" -v i="$images" -v dec="$decisions" -v w="$wall" -v s="$(awk '{print $1}' "$WORK/setup")" \
    -v r="$rate" -v b="$base" -v m="$rss" \
    'BEGIN {printf "| %s | %s | %s | %s | %.2f s | %.2f s | %s | %.2f | %.0f MB |\n", n, d, i, dec, w, s, r, r / b, m / 1024}'
  rm -rf "$WORK/run" "$WORK/setup-run" "$WORK"/t*
done
