#!/usr/bin/env bash
# Usage: run_scenario.sh BINARY SCENARIO OUTDIR
# Every shipped scenario is a test: runs it shortened (at most 300 images, 20 simulated seconds) and checks that
# summary.csv has one data row with at least one image, and that images.csv has one row per image.
set -euo pipefail
bin=$1; scenario=$2; out=$3
rm -rf "$out"
"$bin" simulate "$scenario" --set images=300 --set duration_s=20 --out "$out" 2>/dev/null
[ "$(wc -l < "$out/summary.csv")" -eq 2 ] || { echo "summary.csv must have a header and one row"; exit 1; }
images=$(awk -F, 'NR==1 { for (i = 1; i <= NF; i++) if ($i == "images") c = i } NR==2 { print $c }' "$out/summary.csv")
rows=$(($(wc -l < "$out/images.csv") - 1))
[ "$images" -ge 1 ] || { echo "no image finished"; exit 1; }
[ "$images" -eq "$rows" ] || { echo "summary says $images images, images.csv has $rows rows"; exit 1; }
echo "ok: $scenario: $images images"
