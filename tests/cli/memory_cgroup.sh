#!/usr/bin/env bash
# Usage: memory_cgroup.sh BINARY WORKDIR
# A run that cannot fit in its memory cgroup (a Slurm job's --mem, a container's limit) is refused before any actor
# starts, in one line naming the limit's file, with exit 2, where the kernel's OOM killer would end it without a
# word. The test makes a memory cgroup of 150 MB of its own (v1 or v2), runs 10,000 devices in it (at least 123 MB),
# then 2 devices (they fit), and removes the cgroup whatever happens. Skipped (77) without root or a memory
# controller.
set -euo pipefail
bin=$(realpath "$1"); work=$2
rm -rf "$work"; mkdir -p "$work"
[[ $(id -u) == 0 ]] || { echo "skip: needs root to make a cgroup"; exit 77; }
if [[ -d /sys/fs/cgroup/memory ]]; then # v1
  cg=/sys/fs/cgroup/memory/popex-memory-test-$$; limit_file=memory.limit_in_bytes
elif grep -qw memory /sys/fs/cgroup/cgroup.controllers 2> /dev/null; then # v2
  cg=/sys/fs/cgroup/popex-memory-test-$$; limit_file=memory.max
else
  echo "skip: no memory cgroup controller"; exit 77
fi
mkdir "$cg" || { echo "skip: cannot make a memory cgroup here"; exit 77; }
trap 'rmdir "$cg" 2> /dev/null || true' EXIT
echo 150000000 > "$cg/$limit_file"
in_cgroup() { bash -c 'echo $$ > "$0/cgroup.procs" && exec "$@"' "$cg" "$@"; }
args=(simulate workloads/scenarios/cell-n-cameras.yaml --set bottleneck=null --set cloud.slots=4 --set duration_s=1)
set +e
in_cgroup "$bin" "${args[@]}" --set devices=10000 --out "$work/big" 2> "$work/big.err"
rc=$?
set -e
[[ $rc == 2 ]] || { echo "FAIL: exit $rc, expected 2: $(cat "$work/big.err")"; exit 1; }
[[ $(wc -l < "$work/big.err") == 1 ]] || { echo "FAIL: not one line: $(cat "$work/big.err")"; exit 1; }
expected="10000 devices: they need at least 123 MB of memory (12 KiB a device), and this process's memory cgroup"
grep -q "$expected has .* left ($cg/$limit_file)" "$work/big.err" ||
  { echo "FAIL: unexpected message: $(cat "$work/big.err")"; exit 1; }
[[ ! -e $work/big/images.csv ]] || { echo "FAIL: a refused run wrote images.csv"; exit 1; }
in_cgroup "$bin" "${args[@]}" --set devices=2 --out "$work/small" 2> /dev/null
[[ -s $work/small/images.csv ]] || { echo "FAIL: 2 devices did not run in 150 MB"; exit 1; }
echo "ok: 10,000 devices refused in a 150 MB memory cgroup, in one line naming it; 2 devices ran"
