#!/usr/bin/env bash
# The README's main job: every CSV and figure of the papers, from the shipped workloads, in under 2 minutes on
# 2 cores. Run from the repository root after building (README, command 1):
#   analysis/run_paper.sh [OUT_DIR]            (default results/paper; binary: $POPEX_SIM or build/release/popex-sim)
# It writes, in OUT_DIR:
#   sbrc_sweep.csv        solve: 3 uplinks x gamma 1..1000 x p 0..1 (SBRC Fig. 3 and 4), 33,000 solves
#   exit_rates.csv        solve: MobileNetV2 exit rates and accuracy vs threshold, per blur/noise variant (Fig. 5)
#   b-alexnet_thresholds.csv  solve: B-AlexNet exit rate and accuracy vs threshold (SBRC Fig. 6/7)
#   tier_split_sweep.csv  solve, three tiers: the chosen (s1, s2) over gamma_d 1..1000 x gamma_e 0.25..100, 3G and 4G
#   mobilenet-ptar/       campaign workloads/campaigns/paper-mobilenet-ptar.yaml (Information 2021 Fig. 7)
#   traces/               campaign workloads/campaigns/paper-traces.yaml (static vs dynamic on real traces)
#   devices/              campaign workloads/campaigns/paper-devices.yaml (1..100 cameras sharing a cell)
#   cloud-bound/          campaign workloads/campaigns/cloud-bound.yaml (one cloud slot: when load-aware helps)
#   three-tier-devices/   campaign workloads/campaigns/three-tier-devices.yaml (10..100 cameras per edge server)
#   figures/              PNG and PDF of all of them (analysis/make_figures.py)
set -euo pipefail
out=${1:-results/paper}
bin=${POPEX_SIM:-build/release/popex-sim}
mkdir -p "$out"
start=$(date +%s.%N)

"$bin" solve --dnn workloads/dnn/b-alexnet.yaml --gamma 1:1000:1 --uplink 3g,4g,wifi --exit-prob b1=0:1:0.1 \
  --chosen-only --format csv > "$out/sbrc_sweep.csv"

# Exit rates per variant: one solve per variant, one header.
variants=$(sed -n 's/^  - name: \(blur-[0-9]*\(-expert\)\{0,1\}\|noise-[0-9]*\(-expert\)\{0,1\}\)$/\1/p' \
  workloads/dnn/mobilenetv2-3b.yaml)
first=1
for v in pristine $variants; do
  "$bin" solve --dnn workloads/dnn/mobilenetv2-3b.yaml --variant "$v" --threshold 0.7:0.9:0.05 --format csv \
    | { if [ $first = 1 ]; then cat; else tail -n +2; fi; }
  first=0
done > "$out/exit_rates.csv"

# B-AlexNet thresholds: exact per-sample data when ../shared/data is there, else the shipped table.
alex=workloads/dnn/b-alexnet.yaml
[ -f ../shared/data/models/b-alexnet/per_sample_confidences_cifar10.csv ] && alex=workloads/dnn/b-alexnet-per-sample.yaml
"$bin" solve --dnn "$alex" --threshold 0.5:0.99:0.01 --format csv > "$out/b-alexnet_thresholds.csv"

# Three tiers: the chosen (s1, s2) on a log grid, 40 points per decade, of gamma_d 1..1000 x gamma_e 0.25..100
# (12,705 points per access link), with the access latencies of platforms/edge-cloud-{3g,4g}.xml; one header.
gd=$(awk 'BEGIN { for (k = 0; k <= 120; k++) printf "%s%.4g", (k ? "," : ""), 10 ^ (k / 40) }')
ge=$(awk 'BEGIN { for (k = -24; k <= 80; k++) printf "%s%.4g", (k > -24 ? "," : ""), 10 ^ (k / 40) }')
tier_solve() {
  "$bin" solve --dnn workloads/dnn/b-alexnet.yaml --threshold 0.8 --gamma "$gd" --edge-gamma "$ge" --uplink "$1" \
    --latency-ms "$2" --backhaul 100Mbps --backhaul-latency-ms 5 --chosen-only --format csv
}
{ tier_solve 3g 60; tier_solve 4g 25 | tail -n +2; } > "$out/tier_split_sweep.csv"

"$bin" campaign workloads/campaigns/paper-mobilenet-ptar.yaml --out "$out/mobilenet-ptar"
"$bin" campaign workloads/campaigns/paper-traces.yaml --out "$out/traces"
"$bin" campaign workloads/campaigns/paper-devices.yaml --out "$out/devices"
"$bin" campaign workloads/campaigns/cloud-bound.yaml --out "$out/cloud-bound"
"$bin" campaign workloads/campaigns/three-tier-devices.yaml --out "$out/three-tier-devices"

/usr/bin/python3 analysis/make_figures.py "$out"
printf 'run_paper: done in %.1f s; figures in %s/figures\n' "$(echo "$(date +%s.%N) - $start" | bc)" "$out" >&2
