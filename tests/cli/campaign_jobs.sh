#!/usr/bin/env bash
# Usage: campaign_jobs.sh BINARY CAMPAIGN WORKDIR
# The same campaign with -j1 and -j2 gives byte-identical summary.csv and summary_by_point.csv.
set -euo pipefail
bin=$1; campaign=$2; work=$3
rm -rf "$work"
"$bin" campaign "$campaign" -j 1 --out "$work/j1" 2>/dev/null
"$bin" campaign "$campaign" -j 2 --out "$work/j2" 2>/dev/null
for f in summary.csv summary_by_point.csv; do cmp "$work/j1/$f" "$work/j2/$f"; done
[ "$(grep -c ',ok,' "$work/j1/summary.csv")" -eq "$(($(wc -l < "$work/j1/summary.csv") - 1))" ] || { echo "FAIL: some run failed"; exit 1; }
echo "ok: -j1 and -j2 summaries are identical"
