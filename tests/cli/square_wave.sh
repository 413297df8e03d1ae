#!/usr/bin/env bash
# Usage: square_wave.sh BINARY WORKDIR
# Static against dynamic on a square-wave uplink (18.8 <-> 1.1 Mbps, 60 s each), B-AlexNet at gamma 30, one image
# per second (periodic: each phase gets as many images; a closed loop would weight the fast phase more).
# E[T] of the best split (solve): 18.8 Mbps -> conv1, 0.215 s; 1.1 Mbps -> conv5, 0.460 s. Static decides at t = 0
# (18.8 Mbps: conv1) and pays 0.861 s per image during the 1.1 Mbps half, so its mean is about
# (0.215 + 0.861) / 2 = 0.54 s; the oracle's is about (0.215 + 0.460) / 2 = 0.34 s.
# Asserts, with generous margins: dynamic beats static by at least 25%, and stays within 15% of the oracle.
set -euo pipefail
bin=$1; work=$2
rm -rf "$work"
trace=tests/data/traces/square-wave.profile
for policy in static dynamic oracle; do
  "$bin" simulate workloads/scenarios/b-alexnet-3g.yaml --set gamma=30 --set policy=$policy \
    --set uplink.trace=$trace --set uplink.format=simgrid --set duration_s=1200 --set images=100000 \
    --set "arrival={process: periodic, rate_hz: 1}" \
    --set update_period_s=1 --out "$work/$policy" 2>/dev/null
done
mean() { awk -F, 'NR==1 { for (i = 1; i <= NF; i++) if ($i == "mean_latency_s") c = i } NR==2 { print $c }' "$work/$1/summary.csv"; }
s=$(mean static); d=$(mean dynamic); o=$(mean oracle)
echo "mean latency: static $s s, dynamic $d s, oracle $o s"
awk -v s="$s" -v d="$d" -v o="$o" 'BEGIN {
  if (!(d <= 0.75 * s)) { print "FAIL: dynamic does not beat static by 25%"; exit 1 }
  if (!(d <= 1.15 * o)) { print "FAIL: dynamic is more than 15% slower than the oracle"; exit 1 }
  if (!(o <= d + 1e-12)) { print "FAIL: the oracle is slower than dynamic"; exit 1 }
  print "ok" }'
