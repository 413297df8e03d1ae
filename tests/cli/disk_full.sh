#!/usr/bin/env bash
# Usage: disk_full.sh BINARY WORKDIR
# A full disk: the results go to a 1 MiB tmpfs, far too small for 20,000 images. popex-sim must exit 3 with one
# line naming the file and "No space left on device", never print "wrote", and leave no result that looks
# complete (no summary.csv, no images.csv cut short). Needs root to mount; otherwise it is skipped (exit 77).
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

err=$("$bin" simulate tests/data/scenarios/tiny3.yaml --set images=20000 --set policy=dynamic --out "$mnt/run" 2>&1)
code=$?
[ "$code" -eq 3 ] || fail "exit code $code, want 3; stderr: $err"
[ "$(printf '%s\n' "$err" | grep -c .)" -eq 1 ] || fail "want one line on stderr, got: $err"
case "$err" in
  "popex-sim: error: cannot "*"No space left on device)") ;;
  *) fail "the line does not name the failure: $err" ;;
esac
case "$err" in *wrote*) fail "it says wrote: $err" ;; esac
for f in summary.csv images.csv decisions.csv devices.csv; do
  [ ! -e "$mnt/run/$f" ] || fail "$f exists after a failed run"
done
ls "$mnt/run" | grep -q '\.tmp$' && fail "a .tmp file was left behind: $(ls "$mnt/run")"
echo "ok: full disk -> exit 3, one line ($err), no result left"
