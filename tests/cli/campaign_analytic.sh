#!/usr/bin/env bash
# Usage: campaign_analytic.sh BINARY WORKDIR
# Analytic campaign runs agree with `solve`: same chosen split and byte-identical E[T] for every gamma.
set -euo pipefail
bin=$1; work=$2
rm -rf "$work"
"$bin" campaign tests/data/campaign/analytic.yaml --out "$work/campaign" 2>/dev/null
got=$(awk -F, 'NR==1 { for (i = 1; i <= NF; i++) h[$i] = i }
               NR>1 { print $h["gamma"] "," $h["analytic_split_after"] "," $h["analytic_expected_time_s"] }' \
        "$work/campaign/summary.csv")
want=$("$bin" solve --dnn tests/data/dnn/tiny3.yaml --gamma 1,10,100 --uplink 8kbps --downlink 80kbps \
         --latency-ms 5 --threshold 0.5 --chosen-only --format csv | awk -F, 'NR>1 { print $3 "," $10 "," $11 }')
[ "$got" = "$want" ] || { echo "FAIL: campaign"; echo "$got"; echo "solve"; echo "$want"; exit 1; }
echo "ok: analytic campaign = solve"
