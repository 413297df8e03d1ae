#!/usr/bin/env bash
# Usage: kill_between_writes.sh BINARY WORKDIR
# "Complete or absent" under SIGKILL at the worst moments: POPEX_FAULT_KILL_AFTER=NAME makes popex-sim kill itself
# right after it renames NAME into place (sim/io/output_file.cpp). After each such death:
# - summary.csv exists only if the kill came after it, and then images.csv has one row per image it counts;
# - every result file that exists under its final name ends with a line break (none is cut short);
# - a stale summary.csv of an earlier complete run in the same folder never survives into a killed re-run.
set -uo pipefail
bin=$1; work=$2
rm -rf "$work"; mkdir -p "$work"
scenario=tests/data/scenarios/tiny3.yaml
fail() { echo "FAIL: $*"; exit 1; }

check_folder() { # DIR KILLED_AFTER
  local dir=$1 after=$2
  for f in images.csv decisions.csv devices.csv summary.csv; do
    [ -e "$dir/$f" ] || continue
    [ "$(tail -c1 "$dir/$f" | od -An -c | tr -d ' ')" = '\n' ] || fail "$after: $f is cut short"
  done
  if [ "$after" = summary.csv ]; then
    [ -f "$dir/summary.csv" ] || fail "$after: summary.csv is missing"
    for f in images.csv decisions.csv devices.csv; do [ -f "$dir/$f" ] || fail "$after: $f is missing"; done
    local images rows
    images=$(awk -F, 'NR==1 { for (i = 1; i <= NF; i++) if ($i == "images") c = i } NR==2 { print $c }' "$dir/summary.csv")
    rows=$(($(wc -l < "$dir/images.csv") - 1))
    [ "$rows" = "$images" ] || fail "$after: images.csv has $rows rows, summary.csv says $images"
  else
    [ ! -e "$dir/summary.csv" ] || fail "$after: summary.csv is visible although the run was killed before it"
  fi
}

for name in scenario.resolved.yaml run.yaml images.csv decisions.csv devices.csv summary.csv; do
  POPEX_FAULT_KILL_AFTER=$name "$bin" simulate "$scenario" --set images=50 --out "$work/$name" 2>/dev/null
  code=$?
  [ "$code" -eq 137 ] || fail "$name: exit code $code, want 137 (SIGKILL)"
  check_folder "$work/$name" "$name"
done

# A complete run, then a re-run into the same folder killed after images.csv: the old summary must be gone.
"$bin" simulate "$scenario" --set images=50 --out "$work/rerun" 2>/dev/null || fail "the complete run failed"
[ -f "$work/rerun/summary.csv" ] || fail "the complete run wrote no summary.csv"
POPEX_FAULT_KILL_AFTER=images.csv "$bin" simulate "$scenario" --set images=80 --out "$work/rerun" 2>/dev/null
check_folder "$work/rerun" images.csv
echo "ok: killed after each result file, nothing cut short, summary.csv only when everything before it is whole"
