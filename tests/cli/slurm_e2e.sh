#!/usr/bin/env bash
# Usage: slurm_e2e.sh BINARY CAMPAIGN
# A campaign through a real one-node Slurm (Debian's slurm-wlm and munge): starts munged and the Slurm daemons with
# a generated config in a temporary folder (own munge socket, free ports, own state, spool, pid and log files),
# submits the campaign with `popex-sim campaign --submit` (which runs the generated submit.sh: sbatch of the array,
# then of the merge step after it), waits for both, checks that the merged summary.csv and summary_by_point.csv are
# byte-identical to `-j 1` on this machine, then stops the daemons and removes the folder, also on failure.
# Exit code 77 (ctest SKIP_RETURN_CODE) if not root, or if the packages are missing.
set -euo pipefail
bin=$(realpath "$1")
campaign=$(realpath "$2")
shards=3
bound_s=240 # for the cluster to come up, and again for the jobs: generous (the whole test takes about 12 s), and
            # together below the ctest TIMEOUT, so that the trap below always gets to stop the daemons

skip() { echo "SKIP: $*"; exit 77; }
[ "$(id -u)" -eq 0 ] || skip "needs root: munged runs as user munge, and slurmctld and slurmd as root"
for p in munged mungekey slurmctld slurmd sbatch squeue sinfo scontrol runuser python3; do
  command -v "$p" >/dev/null || skip "$p not found (apt-get install slurm-wlm munge; .ci/install-deps does)"
done
id munge >/dev/null 2>&1 || skip "no user munge (apt-get install munge)"

now() { date +%s.%N; }
t0=$(now)
tmp=$(mktemp -d /tmp/popex-slurm-e2e.XXXXXX)
chmod 755 "$tmp" # munged (user munge) must reach its folders
pids=()
cleanup() {
  local rc=$?
  if [ "$rc" -ne 0 ] && [ "$rc" -ne 77 ]; then
    for log in "$tmp"/slurmctld.log "$tmp"/slurmd.log "$tmp"/munge/munged.log "$out"/slurm/*.out; do
      [ -f "$log" ] && { echo "---- tail of $log"; tail -n 20 "$log"; }
    done
  fi
  # Our own daemons only, by the pids they wrote; then wait for them to be gone before removing their folder.
  for f in "$tmp"/slurmd.pid "$tmp"/slurmctld.pid "$tmp"/munge/munged.pid; do
    [ -s "$f" ] && pids+=("$(cat "$f")")
  done
  for pid in "${pids[@]}"; do kill "$pid" 2>/dev/null || true; done
  for _ in $(seq 1 100); do
    alive=0
    for pid in "${pids[@]}"; do kill -0 "$pid" 2>/dev/null && alive=1; done
    [ "$alive" -eq 0 ] && break
    sleep 0.1
  done
  for pid in "${pids[@]}"; do kill -9 "$pid" 2>/dev/null || true; done
  rm -rf "$tmp"
  exit "$rc"
}
out="$tmp/out it's 50% #1" # a path that needs quoting, in bash and in #SBATCH lines
trap cleanup EXIT
trap 'exit 143' TERM INT HUP # through the EXIT trap
fail() { echo "FAIL: $*"; exit 1; }

# munge: a fresh key, its own socket; munged refuses a socket folder that others cannot traverse.
mkdir -p "$tmp/munge" "$tmp/munge-run" "$tmp/state" "$tmp/spool"
chown munge:munge "$tmp/munge" "$tmp/munge-run"
chmod 700 "$tmp/munge"
chmod 755 "$tmp/munge-run"
mungekey --create --keyfile="$tmp/munge/munge.key"
chown munge:munge "$tmp/munge/munge.key"
chmod 600 "$tmp/munge/munge.key"
socket="$tmp/munge-run/munge.socket"
runuser -u munge -- munged --key-file="$tmp/munge/munge.key" --socket="$socket" \
  --pid-file="$tmp/munge/munged.pid" --log-file="$tmp/munge/munged.log" --seed-file="$tmp/munge/munged.seed"

# Two free TCP ports, so that a Slurm already on this machine (6817/6818) is left alone.
read -r ctld_port slurmd_port < <(python3 -c '
import socket
s = [socket.socket() for _ in range(2)]
for x in s: x.bind(("127.0.0.1", 0))
print(*[x.getsockname()[1] for x in s])')
host=$(hostname -s)
cpus=$(nproc)
export SLURM_CONF="$tmp/slurm.conf"
cat > "$SLURM_CONF" <<EOF
# One-node Slurm for tests/cli/slurm_e2e.sh (docs/campaigns.md, "Slurm").
ClusterName=popexe2e
SlurmctldHost=$host(127.0.0.1)
SlurmctldPort=$ctld_port
SlurmdPort=$slurmd_port
SlurmUser=root
SlurmdUser=root
AuthType=auth/munge
AuthInfo=socket=$socket
CredType=cred/munge
ProctrackType=proctrack/linuxproc
TaskPlugin=task/none
SelectType=select/cons_tres
SelectTypeParameters=CR_Core
ReturnToService=2
MpiDefault=none
StateSaveLocation=$tmp/state
SlurmdSpoolDir=$tmp/spool
SlurmctldPidFile=$tmp/slurmctld.pid
SlurmdPidFile=$tmp/slurmd.pid
SlurmctldLogFile=$tmp/slurmctld.log
SlurmdLogFile=$tmp/slurmd.log
NodeName=$host NodeAddr=127.0.0.1 CPUs=$cpus State=UNKNOWN
PartitionName=e2e Nodes=ALL Default=YES MaxTime=INFINITE State=UP
EOF
slurmctld -c # -c: a clean start, no state from an earlier run
slurmd -N "$host"
for i in $(seq 1 $((bound_s * 2))); do
  [ "$(sinfo -h -o %T 2>/dev/null)" = idle ] && break
  [ "$i" -lt $((bound_s * 2)) ] || fail "the node is not idle after ${bound_s} s: $(sinfo -h -o '%T %E' 2>&1)"
  sleep 0.5
done
t1=$(now)

# The test itself: submit through the generated scripts, wait, compare with -j 1.
submitted=$("$bin" campaign "$campaign" --submit --slurm-shards "$shards" -j 1 --time-limit 10 --partition e2e \
  --out "$out") || fail "popex-sim campaign --submit failed"
echo "$submitted"
array=$(sed -n 's/^array job \([0-9][0-9]*\):.*/\1/p' <<<"$submitted")
merge=$(sed -n 's/^merge job \([0-9][0-9]*\):.*/\1/p' <<<"$submitted")
[ -n "$array" ] && [ -n "$merge" ] || fail "no job ids in the output of --submit"
for i in $(seq 1 $((bound_s * 2))); do
  [ -z "$(squeue -h -o %i)" ] && break
  [ "$i" -lt $((bound_s * 2)) ] || fail "jobs still queued after ${bound_s} s: $(squeue 2>&1)"
  sleep 0.5
done
t2=$(now)
for t in $(seq 0 $((shards - 1))); do
  state=$(scontrol show job "${array}_$t" | grep -o 'JobState=[A-Z]*\|ExitCode=[0-9:]*' | tr '\n' ' ')
  case "$state" in *JobState=COMPLETED*ExitCode=0:0*) ;; *) fail "array task $t: $state" ;; esac
done
state=$(scontrol show job "$merge" | grep -o 'JobState=[A-Z]*\|ExitCode=[0-9:]*' | tr '\n' ' ')
case "$state" in *JobState=COMPLETED*ExitCode=0:0*) ;; *) fail "merge job $merge: $state" ;; esac

"$bin" campaign "$campaign" -j 1 --out "$tmp/j1" 2>/dev/null
for f in summary.csv summary_by_point.csv; do
  cmp "$tmp/j1/$f" "$out/$f" || fail "$f merged from Slurm differs from -j 1"
done
runs=$(($(wc -l <"$tmp/j1/summary.csv") - 1))
[ "$(grep -c ',ok,' "$out/summary.csv")" -eq "$runs" ] || fail "some run failed: $out/summary.csv"
t3=$(now)
awk -v runs="$runs" -v shards="$shards" -v t0="$t0" -v t1="$t1" -v t2="$t2" -v t3="$t3" 'BEGIN {
  printf "ok: %d runs in %d Slurm array tasks, merged, equal -j 1; cluster up in %.1f s, submit to merged %.1f s, " \
         "-j 1 reference %.1f s\n", runs, shards, t1 - t0, t2 - t1, t3 - t2 }'
