#!/usr/bin/env bash
# Usage: disk_full.sh BINARY WORKDIR
# A full disk: the results go to a 1 MiB tmpfs, far too small for 20,000 images (one device, then 200). popex-sim
# must exit 3 with one line naming the file and "No space left on device", never print "wrote", and leave no
# result that looks complete (no summary.csv, no images.csv cut short). Needs root to mount; otherwise it is skipped (exit 77).
set -uo pipefail
bin=$1; work=$2
mnt="$work/tmpfs"
mkdir -p "$mnt"
if ! mount -t tmpfs -o size=1m popex-disk-full "$mnt" 2>/dev/null; then
  echo "SKIP: cannot mount a tmpfs here (needs root): the full-disk test did not run"
  exit 77
fi
trap 'umount "$mnt" 2>/dev/null' EXIT
fail() { echo "FAIL: $*"; exit 1; }

check() { # SCENARIO ARGS...: a run into the full tmpfs
  rm -rf "$mnt/run"
  err=$("$bin" simulate "$@" --out "$mnt/run" 2>&1)
  code=$?
  [ "$code" -eq 3 ] || fail "$1: exit code $code, want 3; stderr: $err"
  [ "$(printf '%s\n' "$err" | grep -c .)" -eq 1 ] || fail "$1: want one line on stderr, got: $err"
  case "$err" in
    "popex-sim: error: cannot "*"No space left on device)") ;;
    *) fail "$1: the line does not name the failure: $err" ;;
  esac
  case "$err" in *wrote*) fail "$1: it says wrote: $err" ;; esac
  for f in summary.csv images.csv decisions.csv devices.csv; do
    [ ! -e "$mnt/run/$f" ] || fail "$1: $f exists after a failed run"
  done
  ls "$mnt/run" | grep -q '\.tmp$' && fail "$1: a .tmp file was left behind: $(ls "$mnt/run")"
}
check tests/data/scenarios/tiny3.yaml --set images=20000 --set policy=dynamic
# 200 Poisson devices: the disk fills while others compute (SimGrid 3.32 crashed when they were killed).
check workloads/scenarios/cell-n-cameras.yaml --set devices=200 --set duration_s=200
echo "ok: full disk -> exit 3, one line ($err), no result left"
