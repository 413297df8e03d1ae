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
#   energy_pareto.csv     solve: every (threshold, split) of B-AlexNet and MobileNetV2 at gamma 30, 3G/LTE/WiFi radios
#   energy_gamma.csv      solve: B-AlexNet's latency- and energy-optimal splits over gamma 1..1000, 3G/LTE/WiFi
#   accuracy_cost.csv     solve: the latency-optimal (threshold, split) per accuracy target, both DNNs, gamma 30
#   energy-trace/         campaign workloads/campaigns/paper-energy-trace.yaml (energy vs latency on LTE traces)
#   figures/              PNG and PDF of all of them (analysis/make_figures.py)
set -euo pipefail
out=${1:-results/paper}
bin=${POPEX_SIM:-build/release/popex-sim}
mkdir -p "$out"
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
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

# The first figures now, from the solve sweeps (seconds after the start); all of them again at the end.
/usr/bin/python3 analysis/make_figures.py "$out" 2> /dev/null | tail -1 || true

"$bin" campaign workloads/campaigns/paper-mobilenet-ptar.yaml --out "$out/mobilenet-ptar"
"$bin" campaign workloads/campaigns/paper-traces.yaml --out "$out/traces"
"$bin" campaign workloads/campaigns/paper-devices.yaml --out "$out/devices"
"$bin" campaign workloads/campaigns/cloud-bound.yaml --out "$out/cloud-bound"
"$bin" campaign workloads/campaigns/three-tier-devices.yaml --out "$out/three-tier-devices"

# Energy and accuracy objectives (docs/model.md, "Energy" and "Objectives"), device power 5 W busy. The DNNs have
# different exit_prob_<branch> columns: csv_union writes one tidy CSV with the union of the columns, blank where a
# DNN has no such branch (popex-sim never quotes a CSV cell, so every comma separates).
csv_union() {
  awk -F, 'FNR == 1 { f++
                      for (i = 1; i <= NF; i++) { pos[f, $i] = i; if (!($i in seen)) { seen[$i] = 1; name[++n] = $i } }
                      next }
           { row[++r] = $0; from[r] = f }
           END { for (j = 1; j <= n; j++) printf "%s%s", name[j], (j < n ? "," : "\n")
                 for (k = 1; k <= r; k++) {
                   split(row[k], v, ",")
                   for (j = 1; j <= n; j++) {
                     i = pos[from[k], name[j]]; printf "%s%s", (i ? v[i] : ""), (j < n ? "," : "\n") }
                 } }' "$@"
}
# Every (threshold, split) at gamma 30, on the radio of each uplink preset (Huang et al. 2012).
"$bin" solve --dnn workloads/dnn/b-alexnet.yaml --gamma 30 --uplink 3g,4g,wifi --threshold 0.5:0.99:0.01 --busy-w 5 \
  --format csv > "$tmp/pareto-alexnet.csv"
"$bin" solve --dnn workloads/dnn/mobilenetv2-3b.yaml --gamma 30 --uplink 3g,4g,wifi --threshold 0.7:0.9:0.05 \
  --busy-w 5 --format csv > "$tmp/pareto-mobilenet.csv"
csv_union "$tmp/pareto-alexnet.csv" "$tmp/pareto-mobilenet.csv" > "$out/energy_pareto.csv"
# The latency- and the energy-optimal split of B-AlexNet (threshold 0.8) on the 40-per-decade gamma grid above.
{ "$bin" solve --dnn workloads/dnn/b-alexnet.yaml --threshold 0.8 --gamma "$gd" --uplink 3g,4g,wifi --busy-w 5 \
    --objective latency --chosen-only --format csv
  "$bin" solve --dnn workloads/dnn/b-alexnet.yaml --threshold 0.8 --gamma "$gd" --uplink 3g,4g,wifi --busy-w 5 \
    --objective energy --chosen-only --format csv | tail -n +2; } > "$out/energy_gamma.csv"
# The latency-optimal (threshold, split) per accuracy target at gamma 30. The targets are the accuracies the rows
# above reach, rounded down to 1e-6 (each a step of the cost, so the steps are exact), then two beyond the best,
# infeasible (feasible = 0, as expected: their warning line is dropped).
acc_cost() {  # DNN ROWS_CSV
  local first=1 a
  for a in $(awk -F, 'FNR == 1 { for (i = 1; i <= NF; i++) if ($i == "expected_accuracy") c = i; next }
                      { printf "%.6f\n", int($c * 1e6) / 1e6 }' "$2" \
             | sort -u | awk '{ print } END { printf "%.4f\n%.4f\n", $1 + 0.005, $1 + 0.01 }'); do
    "$bin" solve --dnn "$1" --gamma 30 --uplink 3g,4g,wifi --busy-w 5 --accuracy-min "$a" --chosen-only --format csv \
      2> >(grep -v 'no choice meeting the constraints' >&2) | { if [ $first = 1 ]; then cat; else tail -n +2; fi; }
    first=0
  done
}
acc_cost workloads/dnn/b-alexnet.yaml "$tmp/pareto-alexnet.csv" > "$tmp/acc-alexnet.csv" &  # one per core
acc_pid=$!
acc_cost workloads/dnn/mobilenetv2-3b.yaml "$tmp/pareto-mobilenet.csv" > "$tmp/acc-mobilenet.csv"
wait $acc_pid
csv_union "$tmp/acc-alexnet.csv" "$tmp/acc-mobilenet.csv" > "$out/accuracy_cost.csv"
"$bin" campaign workloads/campaigns/paper-energy-trace.yaml --out "$out/energy-trace"

/usr/bin/python3 analysis/make_figures.py "$out"
awk -v t0="$start" -v t1="$(date +%s.%N)" -v out="$out" 'BEGIN { printf "run_paper: done in %.1f s; figures in %s/figures\n", t1 - t0, out }' >&2
