#!/usr/bin/env bash
# Usage: devices_load.sh BINARY WORKDIR
# At a fixed per-device load (1 image/s each, Poisson), mean latency rises with the number of devices sharing the
# cell and the cloud (workloads/scenarios/cell-n-cameras.yaml): 1 < 10 < 40 devices.
set -euo pipefail
bin=$1; work=$2
rm -rf "$work"
prev=0
for n in 1 10 40; do
  "$bin" simulate workloads/scenarios/cell-n-cameras.yaml --set devices=$n --set policy=static --set duration_s=60 \
    --out "$work/$n" 2>/dev/null
  mean=$(awk -F, 'NR==1 { for (i = 1; i <= NF; i++) if ($i == "mean_latency_s") c = i } NR==2 { print $c }' "$work/$n/summary.csv")
  echo "$n devices: mean latency $mean s"
  awk -v a="$prev" -v b="$mean" 'BEGIN { exit !(b > a) }' || { echo "FAIL: mean latency did not rise"; exit 1; }
  prev=$mean
done
echo ok
