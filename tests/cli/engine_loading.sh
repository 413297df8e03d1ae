#!/usr/bin/env bash
# Usage: engine_loading.sh BINARY WORKDIR
# popex-sim loads SimGrid only when it simulates (sim/engine/): the dynamic loader's own log (LD_DEBUG=libs) names
# every library a process loads. `solve`, `merge --help` and `--version` must load no libsimgrid; `simulate` must
# (through libpopex-engine.so), and a campaign must load it once, in its parent, before its runs fork.
set -euo pipefail
bin=$1; work=$2
rm -rf "$work"; mkdir -p "$work"
loads() { # LOG LIBRARY: how many times the loader opened LIBRARY
  grep -c "calling init: .*$2" "$1" || true
}
LD_DEBUG=libs "$bin" --version > /dev/null 2> "$work/version.log"
LD_DEBUG=libs "$bin" solve --dnn workloads/dnn/b-alexnet.yaml --gamma 10 --uplink 3g --chosen-only > /dev/null 2> "$work/solve.log"
LD_DEBUG=libs "$bin" merge --help > /dev/null 2> "$work/merge.log"
for log in version solve merge; do
  n=$(loads "$work/$log.log" libsimgrid)
  [ "$n" -eq 0 ] || { echo "FAIL: $log loaded libsimgrid $n time(s)"; exit 1; }
done
LD_DEBUG=libs "$bin" simulate tests/data/scenarios/tiny3.yaml --set images=3 --out "$work/sim" > /dev/null 2> "$work/simulate.log"
n=$(loads "$work/simulate.log" libsimgrid)
[ "$n" -eq 1 ] || { echo "FAIL: simulate initialised libsimgrid $n time(s), expected 1"; exit 1; }
n=$(loads "$work/simulate.log" libpopex-engine)
[ "$n" -eq 1 ] || { echo "FAIL: simulate initialised libpopex-engine $n time(s), expected 1"; exit 1; }
printf 'name: engine-loading\nscenario: %s\nset: {images: 2}\nseeds: [1, 2, 3]\n' \
  "$PWD/tests/data/scenarios/tiny3.yaml" > "$work/campaign.yaml"
# LD_DEBUG_OUTPUT: the loader's log goes to a file the parent opens at start-up, and the forked runs write to the
# same file (whatever they do with their stderr), so a load in any run is counted too.
mkdir -p "$work/ld"
LD_DEBUG=libs LD_DEBUG_OUTPUT="$work/ld/campaign" "$bin" campaign "$work/campaign.yaml" -j 1 --out "$work/campaign" \
  > /dev/null 2>&1
cat "$work"/ld/campaign.* > "$work/campaign.log"
[ -f "$work/campaign/summary.csv" ] || { echo "FAIL: the campaign did not finish"; exit 1; }
n=$(loads "$work/campaign.log" libsimgrid)
[ "$n" -eq 1 ] || { echo "FAIL: a 3-run campaign initialised libsimgrid $n time(s), expected 1 (in its parent)"; exit 1; }
echo "ok: solve, merge and --version load no SimGrid; simulate and a campaign load it once"
