#!/usr/bin/env bash
# Usage: kill_resume.sh BINARY CAMPAIGN.yaml WORKDIR [EXTRA_ARGS...]
# Starts CAMPAIGN, SIGKILLs the campaign process once some runs have finished, resumes it, and checks that the
# summaries are byte-identical to an uninterrupted run (issue 7, crash safety). EXTRA_ARGS go to both runs.
set -eu
bin=$1; campaign=$2; work=$3; shift 3
rm -rf "$work"; mkdir -p "$work"
"$bin" campaign "$campaign" -j 2 --out "$work/reference" "$@"
"$bin" campaign "$campaign" -j 2 --out "$work/killed" "$@" &
pid=$!
for _ in $(seq 1 12000); do
  done_runs=$(find "$work/killed/runs" -mindepth 1 -maxdepth 1 -type d ! -name '*.*' 2>/dev/null | wc -l)
  [ "$done_runs" -ge 5 ] && break
  sleep 0.01
done
kill -KILL "$pid"
wait "$pid" 2>/dev/null || true
[ ! -e "$work/killed/summary.csv" ] || { echo "FAIL: the campaign finished before it was killed"; exit 1; }
# The runs die of PR_SET_PDEATHSIG asynchronously; they are forks with the campaign's command line: wait until
# none is left (a bound a much slower machine still meets), so that none renames a folder under the resume.
for _ in $(seq 1 6000); do
  pgrep -f -- "--out $work/killed" >/dev/null || break
  sleep 0.01
done
"$bin" campaign "$campaign" -j 2 --out "$work/killed" --resume "$@"
for f in summary.csv summary_by_point.csv; do
  cmp "$work/reference/$f" "$work/killed/$f"
done
echo "ok: killed after $done_runs runs, resumed, same summary"
