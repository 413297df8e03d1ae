#!/usr/bin/env bash
# Runs every benchmark of docs/performance.md against an existing release build and prints one markdown report on
# stdout (progress goes to stderr). It builds nothing.
#   cmake --preset release && cmake --build --preset release -j2
#   tests/bench/run_benchmarks.sh            # the full figures (about 3 minutes on 2 cores)
#   tests/bench/run_benchmarks.sh --smoke    # tiny sizes: checks that everything runs (CI; under 10 s)
# Options: --smoke; --build DIR (default build/release); --repeat N (runs per simulate and multi-device figure,
#          median; default 3); --keep (keep the scratch folder and print its path).
# Sections: 1 solve per decision, 2 SBRC sweep, 3 simulate vs bare SimGrid, 4 memory vs images, 5 campaign fork
# overhead and -j 2 scaling, 6 multi-device scaling. Scratch files go to $TMPDIR (default /tmp).
set -euo pipefail

ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
BUILD=$ROOT/build/release
SMOKE=0
REPEAT=3
KEEP=0
while [[ $# -gt 0 ]]; do
  case $1 in
    --smoke) SMOKE=1 ;;
    --build) BUILD=$(cd "$2" && pwd); shift ;;
    --repeat) REPEAT=$2; shift ;;
    --keep) KEEP=1 ;;
    -h | --help) sed -n '2,10p' "${BASH_SOURCE[0]}" | sed 's/^# \{0,1\}//'; exit 0 ;;
    *) echo "run_benchmarks.sh: unknown option '$1' (try --help)" >&2; exit 2 ;;
  esac
  shift
done

SIM=$BUILD/popex-sim
BENCH_SOLVE=$BUILD/tests/bench/popex_bench_solve
BARE=$BUILD/tests/bench/popex_bare_loop
for exe in "$SIM" "$BENCH_SOLVE" "$BARE"; do
  if [[ ! -x $exe ]]; then
    echo "run_benchmarks.sh: $exe not found; build first: cmake --preset release && cmake --build --preset release" >&2
    exit 2
  fi
done
# CPU time and peak RSS come from /usr/bin/time (Debian package 'time'), else from python3's getrusage.
if [[ -x /usr/bin/time ]]; then
  RUSAGE=(/usr/bin/time -f '%U %S %M' -o)
elif command -v python3 > /dev/null; then
  RUSAGE=(python3 -c 'import resource, subprocess, sys
rc = subprocess.call(sys.argv[2:])
r = resource.getrusage(resource.RUSAGE_CHILDREN)
open(sys.argv[1], "w").write(f"{r.ru_utime} {r.ru_stime} {r.ru_maxrss}\n")
sys.exit(rc)')
else
  echo "run_benchmarks.sh: needs /usr/bin/time (Debian package 'time') or python3" >&2
  exit 2
fi

if [[ $SMOKE == 1 ]]; then
  SWEEP_RUNS=3
  SIM_IMAGES=2000
  MEM_SIZES=(1000 10000)
  REPEAT=1
  BENCH_MIN_TIME=0.01
  CAMPAIGN_RUNS=10
  CAMPAIGN_IMAGES=100
  CAMPAIGN_REPEAT=1
  DEVICES=(1 10)
  DEVICE_IMAGES=100
else
  SWEEP_RUNS=20
  SIM_IMAGES=200000
  MEM_SIZES=(10000 100000 1000000)
  BENCH_MIN_TIME=0.5
  CAMPAIGN_RUNS=200
  CAMPAIGN_IMAGES=10000 # about 60 ms of CPU per forked run, so the fork and the pool do not dominate
  CAMPAIGN_REPEAT=3
  DEVICES=(1 10 100 1000)
  DEVICE_IMAGES=10000 # devices x duration_s at 1 image/s per device: the same load of images at every size
fi

WORK=$(mktemp -d "${TMPDIR:-/tmp}/popex-bench.XXXXXX")
if [[ $KEEP == 1 ]]; then
  echo "run_benchmarks.sh: scratch folder kept: $WORK" >&2
else
  trap 'rm -rf "$WORK"' EXIT
fi
cd "$ROOT"
SCENARIO=workloads/scenarios/b-alexnet-3g.yaml
DNN=workloads/dnn/b-alexnet.yaml

log() { echo "[bench] $*" >&2; }
median() {
  sort -g | awk '{v[NR] = $1} END {if (NR == 0) print "nan"; else if (NR % 2) print v[(NR + 1) / 2]; else print (v[NR / 2] + v[NR / 2 + 1]) / 2}'
}
now() { date +%s.%N; }
HZ=$(getconf CLK_TCK 2> /dev/null || echo 100)
# busy_ticks: the CPU time of every process on the machine so far, in clock ticks (/proc/stat: user, nice, system,
# irq, softirq and steal, which is time the hypervisor gave to another guest); 0 where /proc/stat is unreadable.
busy_ticks() { awk '/^cpu / {print $2 + $3 + $4 + $7 + $8 + $9; found = 1; exit} END {if (!found) print 0}' /proc/stat 2> /dev/null || echo 0; }
# timed OUTFILE CMD...: runs CMD (stdout to /dev/null); OUTFILE gets "wall_s cpu_s maxrss_kb machine_cpu_s user_s
# sys_s". Wall comes from date +%s.%N around the run; CPU (user + sys) and the peak RSS from RUSAGE; machine_cpu_s is
# the CPU time that every process of the machine used meanwhile, so machine_cpu_s - cpu_s is what others took.
timed() {
  local out=$1 t0 t1 b0 b1
  shift
  b0=$(busy_ticks)
  t0=$(now)
  "${RUSAGE[@]}" "$out.time" "$@" > /dev/null 2> "$out.stderr" || {
    echo "run_benchmarks.sh: failed: $*" >&2
    cat "$out.stderr" >&2
    return 1
  }
  t1=$(now)
  b1=$(busy_ticks)
  awk -v a="$t0" -v b="$t1" -v m="$((b1 - b0))" -v hz="$HZ" \
    '{printf "%.4f %.3f %s %.2f %.3f %.3f\n", b - a, $1 + $2, $3, m / hz, $1, $2}' "$out.time" > "$out"
}
# column N FILE...: the median of field N over the files.
column_median() {
  local n=$1
  shift
  cat "$@" | awk -v n="$n" '{print $n}' | median
}
# summary_field DIR COLUMN: one column of a summary.csv.
summary_field() {
  awk -F, -v col="$2" 'NR == 1 {for (i = 1; i <= NF; i++) if ($i == col) c = i} NR == 2 {print $c}' "$1/summary.csv"
}

# ---------------------------------------------------------------------------------------------------------------
echo "# popex-sim benchmarks"
echo
if [[ $SMOKE == 1 ]]; then
  echo "**Smoke run (--smoke): tiny sizes; the figures mean nothing.**"
  echo
fi
dirty=""
git -C "$ROOT" diff --quiet HEAD 2> /dev/null || dirty=" (with uncommitted changes)"
echo "- date: $(date -u '+%Y-%m-%d %H:%M UTC')"
echo "- commit: $(git -C "$ROOT" rev-parse --short HEAD 2> /dev/null || echo unknown)$dirty"
echo "- machine: $(nproc) cores, $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | sed 's/^ //'), $(awk '/MemTotal/ {printf "%.0f GiB", $2 / 1048576}' /proc/meminfo)"
echo "- load average at start: $(cut -d' ' -f1-3 /proc/loadavg) (other work on the machine inflates wall times; CPU times are steadier)"
echo "- build: $BUILD ($(grep -m1 '^CMAKE_BUILD_TYPE' "$BUILD/CMakeCache.txt" 2> /dev/null | cut -d= -f2 || echo '?'))"
echo

# ---------------------------------------------------------------------------------------------------------------
log "1/6 solve micro-benchmarks"
"$BENCH_SOLVE" --benchmark_min_time=$BENCH_MIN_TIME --benchmark_out="$WORK/solve.csv" --benchmark_out_format=csv \
  > "$WORK/solve.console" 2>&1
echo "## 1. Time per decision"
echo
echo "Command: \`build/release/tests/bench/popex_bench_solve --benchmark_min_time=$BENCH_MIN_TIME\`"
echo
echo "| benchmark | layers | branches | CPU time per call | calls/s |"
echo "|---|---:|---:|---:|---:|"
# Google Benchmark's CSV: a preamble, then a header (name,iterations,real_time,cpu_time,time_unit,...,"branches",
# "layers") and one row per benchmark with the name quoted. Names hold no comma.
awk -F, '
  /^name,iterations/ {for (i = 1; i <= NF; i++) {h = $i; gsub(/"/, "", h); col[h] = i}; found = 1; next}
  found {
    name = $1; gsub(/"/, "", name)
    layers = $col["layers"] == "" ? "-" : $col["layers"]
    branches = $col["branches"] == "" ? "-" : $col["branches"]
    t = $col["cpu_time"]; u = $col["time_unit"]
    if (u == "ns" && t >= 1000) {t /= 1000; u = "us"}
    printf "| %s | %s | %s | %.3g %s | %.3g |\n", name, layers, branches, t, u, $col["items_per_second"]
  }' "$WORK/solve.csv"
echo

# ---------------------------------------------------------------------------------------------------------------
log "2/6 SBRC sweep wall time"
# shellcheck disable=SC2054 # the commas belong to the option values
SWEEP=("$SIM" solve --dnn "$DNN" --gamma 1:1000:1 --uplink 3g,4g,wifi --exit-prob b1=0:1:0.1 --chosen-only --format csv)
rows=$("${SWEEP[@]}" | tail -n +2 | wc -l)
if command -v hyperfine > /dev/null; then
  hyperfine --warmup 2 --runs "$SWEEP_RUNS" --export-json "$WORK/sweep.json" --output=null "${SWEEP[*]}" > /dev/null 2>&1
  python3 -c 'import json,sys; r=json.load(open(sys.argv[1]))["results"][0]; print(r["median"], min(r["times"]), max(r["times"]))' \
    "$WORK/sweep.json" > "$WORK/sweep.stats"
  read -r sweep_med sweep_min sweep_max < "$WORK/sweep.stats"
  how="hyperfine, $SWEEP_RUNS runs after 2 warm-ups"
else
  "${SWEEP[@]}" > /dev/null # warm-up: page cache
  for ((i = 0; i < SWEEP_RUNS; i++)); do
    t0=$(now)
    "${SWEEP[@]}" > /dev/null
    t1=$(now)
    awk -v a="$t0" -v b="$t1" 'BEGIN {printf "%.6f\n", b - a}'
  done > "$WORK/sweep.times"
  sweep_med=$(median < "$WORK/sweep.times")
  sweep_min=$(sort -g "$WORK/sweep.times" | head -1)
  sweep_max=$(sort -g "$WORK/sweep.times" | tail -1)
  how="date +%s.%N around each run, $SWEEP_RUNS runs after 1 warm-up"
fi
# CPU: one measurement over all the runs, since /usr/bin/time's user/sys figures have a 10 ms resolution.
# shellcheck disable=SC2016 # $1 and $@ belong to the inner shell
repeat_runs='n=$1; shift; for ((i = 0; i < n; i++)); do "$@" > /dev/null; done'
timed "$WORK/sweepcpu.res" bash -c "$repeat_runs" _ "$SWEEP_RUNS" "${SWEEP[@]}"
sweep_cpu=$(awk -v n="$SWEEP_RUNS" '{print $2 / n}' "$WORK/sweepcpu.res")
timed "$WORK/startcpu.res" bash -c "$repeat_runs" _ "$SWEEP_RUNS" "$SIM" --version
start_cpu=$(awk -v n="$SWEEP_RUNS" '{print $2 / n}' "$WORK/startcpu.res")
echo "## 2. SBRC sweep (33,000 solves, one process)"
echo
echo "Command: \`build/release/popex-sim solve --dnn $DNN --gamma 1:1000:1 --uplink 3g,4g,wifi --exit-prob b1=0:1:0.1 --chosen-only --format csv > /dev/null\`"
echo "(wall: $how; CPU: user + sys from /usr/bin/time over $SWEEP_RUNS runs, per run)."
echo
echo "| rows | median wall | min wall | max wall | CPU | of which start-up (\`popex-sim --version\`, CPU) | target < 0.1 s wall |"
echo "|---:|---:|---:|---:|---:|---:|---|"
awk -v r="$rows" -v m="$sweep_med" -v lo="$sweep_min" -v hi="$sweep_max" -v c="$sweep_cpu" -v s="$start_cpu" 'BEGIN {
  printf "| %s | %.3f s | %.3f s | %.3f s | %.3f s | %.3f s | %s |\n", r, m, lo, hi, c, s, (m < 0.1 ? "met" : "**missed**")
}'
echo
# The networkx way (tests/bench/networkx_sweep.py: a graph and a Dijkstra per point, as the original POPEX), in this
# same run, on the same sweep; both must choose the same split at every point.
if /usr/bin/python3 -c 'import networkx, yaml' 2> /dev/null; then
  NX=(/usr/bin/python3 "$ROOT/tests/bench/networkx_sweep.py" "$DNN" --rates 1100000,5500000,18800000)
  [[ $SMOKE == 1 ]] && NX+=(--gammas 1:10:1) && SWEEP_NX=("${SWEEP[@]/1:1000:1/1:10:1}") || SWEEP_NX=("${SWEEP[@]}")
  for ((i = 0; i < 3; i++)); do
    t0=$(now); "${NX[@]}" > "$WORK/nx.csv"; t1=$(now)
    awk -v a="$t0" -v b="$t1" 'BEGIN {printf "%.6f\n", b - a}'
  done > "$WORK/nx.times"
  nx_med=$(median < "$WORK/nx.times")
  "${SWEEP_NX[@]}" > "$WORK/px.csv"
  /usr/bin/python3 - "$WORK/nx.csv" "$WORK/px.csv" > "$WORK/nx.check" << 'PY'
import csv, sys
nx = list(csv.DictReader(open(sys.argv[1])))
px = {(float(r["gamma"]), float(r["uplink_bps"]), round(float(r["exit_prob_b1"]), 9)): r for r in csv.DictReader(open(sys.argv[2]))}
differ = 0
for r in nx:
    p = px[(float(r["gamma"]), float(r["uplink_bps"]), round(float(r["exit_prob"]), 9))]
    rel = abs(float(p["expected_time_s"]) - float(r["expected_time_s"])) / float(r["expected_time_s"])
    differ += rel > 1e-12
print(len(nx), differ)
PY
  read -r nx_points nx_differ < "$WORK/nx.check"
  echo "The networkx reference, \`tests/bench/networkx_sweep.py\` (a networkx graph and \`dijkstra_path\` per point, as the"
  echo "original POPEX), on the same sweep in the same run, median of 3 runs: $nx_points points, $nx_differ whose expected"
  echo "time differs from popex-sim's by more than 1e-12 (relative)."
  echo
  [[ $SMOKE == 1 ]] && { echo "(smoke: 10 gammas only, no speed-up figure)"; echo; }
  [[ $SMOKE == 1 ]] || echo "| networkx wall | popex-sim wall | speed-up | target >= 50x |"
  [[ $SMOKE == 1 ]] || echo "|---:|---:|---:|---|"
  [[ $SMOKE == 1 ]] || awk -v n="$nx_med" -v p="$sweep_med" 'BEGIN { printf "| %.3f s | %.3f s | %.1fx | %s |\n", n, p, n / p, (n / p >= 50 ? "met" : "**missed**") }'
  echo
else
  echo "(networkx reference skipped: Debian's python3-networkx and python3-yaml are not installed.)"
  echo
fi

# ---------------------------------------------------------------------------------------------------------------
log "3/6 simulate vs bare SimGrid loop ($SIM_IMAGES images, $REPEAT runs each)"
echo "## 3. Simulated images per second: popex-sim simulate vs the bare SimGrid loop"
echo
echo "$SIM_IMAGES closed-loop images per run, median of $REPEAT runs. Images/s = images / process time, start-up and"
echo "output included; CPU = user + sys. The bare loop (\`tests/bench/bare_loop.cpp\`) does the same execs, comms and"
echo "semaphores per image, with the offloaded fraction read from popex-sim's own summary.csv."
echo
echo "| case | offloaded | popex-sim img/s (CPU) | bare img/s (CPU) | ratio (CPU) | popex-sim img/s (wall) | bare img/s (wall) | ratio (wall) | target ratio >= 0.5 |"
echo "|---|---:|---:|---:|---:|---:|---:|---:|---|"
CASES=("static (edge-only at gamma 10)|"
  "cloud-only|--set policy=cloud-only"
  "fixed:conv2|--set policy=fixed:conv2"
  "static, gamma 100 (splits at conv2)|--set gamma=100")
commands=()
c=0
for entry in "${CASES[@]}"; do
  label=${entry%%|*}
  read -r -a extra <<< "${entry#*|}"
  c=$((c + 1))
  for ((r = 0; r < REPEAT; r++)); do
    timed "$WORK/sim$c.r$r.res" "$SIM" simulate "$SCENARIO" --set images=$SIM_IMAGES "${extra[@]}" --out "$WORK/sim$c"
  done
  offload=$(summary_field "$WORK/sim$c" offload_fraction)
  edge_s=$(summary_field "$WORK/sim$c" mean_edge_s)
  if awk -v o="$offload" 'BEGIN {exit !(o == 0)}'; then
    bare_args=(--mode edge-only)
  elif awk -v e="$edge_s" 'BEGIN {exit !(e == 0)}'; then
    bare_args=(--mode cloud-only)
  else
    bare_args=(--mode offload --edge-exit "$(awk -v o="$offload" 'BEGIN {printf "%.4f", 1 - o}')")
  fi
  [[ ${extra[*]} == *gamma=100* ]] && bare_args+=(--gamma 100)
  for ((r = 0; r < REPEAT; r++)); do
    timed "$WORK/bare$c.r$r.res" "$BARE" "$SIM_IMAGES" "${bare_args[@]}"
  done
  commands+=("$label: \`build/release/popex-sim simulate $SCENARIO --set images=$SIM_IMAGES${extra[*]:+ ${extra[*]}} --out DIR\` vs \`build/release/tests/bench/popex_bare_loop $SIM_IMAGES ${bare_args[*]}\`")
  awk -v n="$SIM_IMAGES" -v off="$offload" -v label="$label" \
    -v sw="$(column_median 1 "$WORK"/sim$c.r*.res)" -v sc="$(column_median 2 "$WORK"/sim$c.r*.res)" \
    -v bw="$(column_median 1 "$WORK"/bare$c.r*.res)" -v bc="$(column_median 2 "$WORK"/bare$c.r*.res)" 'BEGIN {
      if (sc <= 0) sc = 0.005; if (bc <= 0) bc = 0.005
      rc = bc / sc; rw = bw / sw
      printf "| %s | %.3f | %.0f | %.0f | %.2f | %.0f | %.0f | %.2f | %s |\n", label, off, n / sc, n / bc, rc, n / sw, n / bw, rw,
        (rc >= 0.5 ? "met" : "**missed**") (rw >= 0.5 ? "" : " (wall: missed)")
    }'
done
echo
echo "Commands:"
for cmd in "${commands[@]}"; do
  echo "- $cmd"
done
echo

# ---------------------------------------------------------------------------------------------------------------
log "4/6 peak memory against images"
echo "## 4. Peak memory against the number of images"
echo
echo "Command: \`/usr/bin/time -v build/release/popex-sim simulate $SCENARIO --set images=N --set policy=fixed:conv2 --out DIR\`"
echo "(\"Maximum resident set size\"; images.csv streams to disk)."
echo
echo "| images | max RSS | CPU | images.csv on disk | target |"
echo "|---:|---:|---:|---:|---|"
for n in "${MEM_SIZES[@]}"; do
  timed "$WORK/mem$n" "$SIM" simulate "$SCENARIO" --set images="$n" --set policy=fixed:conv2 --out "$WORK/memrun"
  read -r _ cpu rss < "$WORK/mem$n"
  csv_bytes=$(stat -c %s "$WORK/memrun/images.csv")
  target="-"
  [[ $n -ge 1000000 ]] && target=$(awk -v r="$rss" 'BEGIN {print (r / 1024 < 100 ? "< 100 MB: met" : "< 100 MB: **missed**")}')
  awk -v n="$n" -v r="$rss" -v c="$cpu" -v b="$csv_bytes" -v t="$target" \
    'BEGIN {printf "| %s | %.1f MB | %.2f s | %.1f MB | %s |\n", n, r / 1024, c, b / 1e6, t}'
  rm -rf "$WORK/memrun"
done
timed "$WORK/membare" "$BARE" "${MEM_SIZES[-1]}" --mode offload
read -r _ cpu rss < "$WORK/membare"
awk -v n="${MEM_SIZES[-1]}" -v r="$rss" -v c="$cpu" \
  'BEGIN {printf "| %s, bare loop for reference (`popex_bare_loop %s --mode offload`) | %.1f MB | %.2f s | - | - |\n", n, n, r / 1024, c}'
echo

# ---------------------------------------------------------------------------------------------------------------
log "5/6 campaign: fork overhead, then -j 1 against -j 2 ($CAMPAIGN_REPEAT times)"
echo "## 5. Campaign: fork overhead per run and parallel scaling"
echo
if ! "$SIM" --help 2>&1 | grep -qE '^ +campaign'; then
  echo "**TODO**: \`popex-sim campaign\` does not exist in this build (\`popex-sim --help\` does not list it)."
  echo
else
  seeds=$(seq -s, 1 "$CAMPAIGN_RUNS")
  write_campaign() { # FILE NAME IMAGES
    cat > "$1" << EOF2
# Benchmark campaign written by tests/bench/run_benchmarks.sh: $CAMPAIGN_RUNS seeds of one scenario.
name: $2
scenario: $ROOT/$SCENARIO
set: {images: $3, policy: 'fixed:conv2'}
seeds: [$seeds]
EOF2
  }
  write_campaign "$WORK/fork.yaml" fork 1
  write_campaign "$WORK/forkshm.yaml" forkshm 1
  write_campaign "$WORK/scale.yaml" scale "$CAMPAIGN_IMAGES"
  # campaign NAME JOBS REP [OUTROOT]: one timed campaign into $WORK/camp.NAME.JOBS.REP, its runs' folders under
  # OUTROOT (default $WORK); prints the number of runs that ended "ok".
  campaign() {
    local res=$WORK/camp.$1.$2.$3 dir=${4:-$WORK}/camp-$1-$2-$3
    timed "$res" "$SIM" campaign "$WORK/$1.yaml" -j "$2" --out "$dir"
    awk -F, 'NR == 1 {for (i = 1; i <= NF; i++) if ($i == "status") c = i} NR > 1 && $c == "ok" {n++} END {print n + 0}' \
      "$dir/summary.csv" 2> /dev/null || echo 0
    rm -rf "$dir" # up to 300 MB of images.csv at full size
  }
  # The same on tmpfs, when /dev/shm is one: a run writes 7 files, and creating files on a busy ext4 can cost more
  # than the run itself.
  SHM=""
  if [[ $(stat -f -c %T /dev/shm 2> /dev/null) == tmpfs && -w /dev/shm ]]; then
    SHM=$(mktemp -d /dev/shm/popex-bench.XXXXXX)
    if [[ $KEEP == 1 ]]; then trap 'rm -rf "$SHM"' EXIT; else trap 'rm -rf "$WORK" "$SHM"' EXIT; fi
  fi
  fork_ok=""
  shm_ok=""
  for ((r = 0; r < CAMPAIGN_REPEAT; r++)); do
    fork_ok+="$(campaign fork 1 "$r") "
    [[ -z $SHM ]] || shm_ok+="$(campaign forkshm 1 "$r" "$SHM") "
  done
  for ok in $fork_ok $shm_ok; do
    if [[ $ok != "$CAMPAIGN_RUNS" ]]; then
      echo "run_benchmarks.sh: a fork-overhead campaign ended $ok runs of $CAMPAIGN_RUNS ok" >&2
      exit 1
    fi
  done
  for ((i = 0; i < 10; i++)); do
    timed "$WORK/proc.$i.res" "$SIM" simulate "$SCENARIO" --set images=1 --set policy=fixed:conv2 --out "$WORK/proc"
  done
  echo "Campaign files: \`scenario: $SCENARIO\`, \`set: {images: N, policy: 'fixed:conv2'}\`, \`seeds: [1, ..., $CAMPAIGN_RUNS]\`;"
  echo "command \`build/release/popex-sim campaign FILE -j J --out DIR\`. CPU is the parent's and its children's (user + sys)."
  echo
  echo "### Fork overhead per run (target < 5 ms)"
  echo
  echo "| what | runs ok | wall, median (min-max) of $CAMPAIGN_REPEAT | CPU: user + sys | wall per run | CPU per run | target < 5 ms |"
  echo "|---|---:|---:|---:|---:|---:|---|"
  fork_row() { # LABEL NAME OKS
    awk -v label="$1" -v ok="$3" -v n="$CAMPAIGN_RUNS" \
      -v w="$(column_median 1 "$WORK/camp.$2.1."?)" -v u="$(column_median 5 "$WORK/camp.$2.1."?)" \
      -v s="$(column_median 6 "$WORK/camp.$2.1."?)" \
      -v lo="$(cat "$WORK/camp.$2.1."? | awk '{print $1}' | sort -g | head -1)" \
      -v hi="$(cat "$WORK/camp.$2.1."? | awk '{print $1}' | sort -g | tail -1)" 'BEGIN {
        split(ok, k, " "); ms = 1000 * w / n
        printf "| %s | %s | %.2f s (%.2f-%.2f) | %.2f + %.2f s | %.2f ms | %.2f ms | %s |\n",
          label, k[1], w, lo, hi, u, s, ms, 1000 * (u + s) / n, (ms < 5 ? "met" : "**missed**")
      }'
  }
  fork_row "$CAMPAIGN_RUNS runs of 1 image, -j 1, --out in ${TMPDIR:-/tmp} ($(df --output=fstype "$WORK" 2> /dev/null | tail -1 || echo '?'))" fork "$fork_ok"
  [[ -z $SHM ]] || fork_row "the same, --out on tmpfs (/dev/shm)" forkshm "$shm_ok"
  awk -v w="$(column_median 1 "$WORK"/proc.*.res)" -v u="$(column_median 5 "$WORK"/proc.*.res)" \
    -v s="$(column_median 6 "$WORK"/proc.*.res)" 'BEGIN {
      printf "| for comparison: a new `popex-sim simulate --set images=1` process per run (median of 10) | | %.3f s | %.3f + %.3f s | %.1f ms | %.1f ms | |\n", w, u, s, 1000 * w, 1000 * (u + s)
    }'
  echo

  echo "### Parallel scaling: -j 2 against -j 1 (target >= 1.8x)"
  echo
  echo "$CAMPAIGN_RUNS runs of $CAMPAIGN_IMAGES images, -j 1 then -j 2, $CAMPAIGN_REPEAT times. \"Others\" is the CPU"
  echo "that the rest of the machine used during the campaign (from /proc/stat), in cores on average; with $(nproc) cores,"
  echo "-j 2 can only reach 2x when it is near 0. The control runs two independent \`popex_bare_loop $SIM_IMAGES --mode edge-only\`"
  echo "at once against one alone, right after each pair: the ceiling that the machine gave at that moment."
  echo
  echo "| repetition | -j 1 wall | -j 2 wall | speed-up | -j 1 CPU | -j 2 CPU | others during -j 1 | others during -j 2 | control speed-up |"
  echo "|---:|---:|---:|---:|---:|---:|---:|---:|---:|"
  for ((r = 0; r < CAMPAIGN_REPEAT; r++)); do
    ok1=$(campaign scale 1 "$r")
    ok2=$(campaign scale 2 "$r")
    if [[ $ok1 != "$CAMPAIGN_RUNS" || $ok2 != "$CAMPAIGN_RUNS" ]]; then
      echo "run_benchmarks.sh: the scaling campaign ended $ok1 and $ok2 runs of $CAMPAIGN_RUNS ok" >&2
      exit 1
    fi
    timed "$WORK/ctl1.$r" "$BARE" "$SIM_IMAGES" --mode edge-only
    timed "$WORK/ctl2.$r" bash -c '"$@" > /dev/null & "$@" > /dev/null; wait $!' _ "$BARE" "$SIM_IMAGES" --mode edge-only
    read -r w1 c1 _ m1 < "$WORK/camp.scale.1.$r"
    read -r w2 c2 _ m2 < "$WORK/camp.scale.2.$r"
    read -r cw1 _ < "$WORK/ctl1.$r"
    read -r cw2 _ < "$WORK/ctl2.$r"
    awk -v r="$((r + 1))" -v w1="$w1" -v w2="$w2" -v c1="$c1" -v c2="$c2" -v m1="$m1" -v m2="$m2" -v a="$cw1" -v b="$cw2" \
      'BEGIN {
        o1 = (m1 - c1) / w1; o2 = (m2 - c2) / w2; if (o1 < 0) o1 = 0; if (o2 < 0) o2 = 0
        printf "| %s | %.2f s | %.2f s | %.2fx | %.2f s | %.2f s | %.2f | %.2f | %.2fx |\n", r, w1, w2, w1 / w2, c1, c2, o1, o2, 2 * a / b
      }'
    echo "$w1 $w2" >> "$WORK/scale.walls"
  done
  echo
  awk -v p="$(nproc)" '
    {j1[NR] = $1; j2[NR] = $2; su[NR] = $1 / $2}
    function med(a, k,   i, j, t, b) {for (i = 1; i <= k; i++) b[i] = a[i]
      for (i = 1; i <= k; i++) for (j = i + 1; j <= k; j++) if (b[j] < b[i]) {t = b[i]; b[i] = b[j]; b[j] = t}
      return k % 2 ? b[(k + 1) / 2] : (b[k / 2] + b[k / 2 + 1]) / 2}
    END {
      lo = su[1]; hi = su[1]; for (i = 2; i <= NR; i++) {if (su[i] < lo) lo = su[i]; if (su[i] > hi) hi = su[i]}
      m1 = med(j1, NR); m2 = med(j2, NR); s = m1 / m2
      printf "Speed-up with 2 workers on %s cores: **%.2fx** (median -j 1 wall %.2f s / median -j 2 wall %.2f s);", p, s, m1, m2
      printf " per repetition %.2fx to %.2fx. Target >= 1.8x: %s.\n", lo, hi, (s >= 1.8 ? "met" : "**missed**")
    }' "$WORK/scale.walls"
  echo
fi

# ---------------------------------------------------------------------------------------------------------------
MD_SCENARIO=workloads/scenarios/cell-n-cameras.yaml
log "6/6 multi-device scaling (${DEVICES[*]} devices, $REPEAT runs each)"
echo "## 6. Multi-device scaling"
echo
echo "\`$MD_SCENARIO\` (dynamic POPEX, Poisson arrivals at 1 image/s per device, one 20 Mbps cell, a cloud with"
echo "2 slots) with duration_s = $DEVICE_IMAGES / devices, so every size gets about $DEVICE_IMAGES images. Median of $REPEAT"
echo "runs. Images are summary.csv's \`images\`; images/s = images / process time, start-up and outputs included."
echo "Command: \`build/release/popex-sim simulate $MD_SCENARIO --set devices=N --set duration_s=D --out DIR\`; peak"
echo "memory is its maximum resident set size."
echo
echo "| devices | duration_s | images | decisions | simulated time | wall | CPU | images/s (wall) | images/s (CPU) | peak RSS |"
echo "|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|"
for n in "${DEVICES[@]}"; do
  d=$((DEVICE_IMAGES / n))
  ((d >= 1)) || d=1
  for ((r = 0; r < REPEAT; r++)); do
    timed "$WORK/md$n.r$r.res" "$SIM" simulate "$MD_SCENARIO" --set devices="$n" --set duration_s="$d" --out "$WORK/md$n"
  done
  awk -v n="$n" -v d="$d" -v img="$(summary_field "$WORK/md$n" images)" -v dec="$(summary_field "$WORK/md$n" decisions)" \
    -v st="$(summary_field "$WORK/md$n" sim_time_s)" -v w="$(column_median 1 "$WORK/md$n.r"*.res)" \
    -v c="$(column_median 2 "$WORK/md$n.r"*.res)" -v rss="$(column_median 3 "$WORK/md$n.r"*.res)" 'BEGIN {
      if (c <= 0) c = 0.005
      printf "| %s | %s | %s | %s | %.0f s | %.2f s | %.2f s | %.0f | %.0f | %.1f MB |\n", n, d, img, dec, st, w, c, img / w, img / c, rss / 1024
    }'
  rm -rf "$WORK/md$n"
done
echo
