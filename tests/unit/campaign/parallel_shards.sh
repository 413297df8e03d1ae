#!/usr/bin/env bash
# Usage: parallel_shards.sh BINARY CAMPAIGN.yaml WORKDIR
# Runs CAMPAIGN on one machine, then as 3 shards through GNU parallel (locally, and through --sshlogin ':' which is
# parallel's name for the local machine), merges each set of shards, and checks that the merged summaries are
# byte-identical to the single run. BINARY is popex-sim or a stand-in with the same `campaign` and `merge` commands.
set -eu
bin=$1; campaign=$2; work=$3
rm -rf "$work"; mkdir -p "$work"
N=3
"$bin" campaign "$campaign" -j 2 --out "$work/single"

# Local: the docs/campaigns.md recipe.
seq 0 $((N-1)) | parallel --will-cite -j "$N" "$bin" campaign "$campaign" -j 1 --shard {}/$N --out "$work/local/shard-{}"
"$bin" merge --out "$work/local/merged" "$work"/local/shard-*

# Through the --sshlogin machinery (':' = this machine, no ssh needed), with a shared folder.
seq 0 $((N-1)) | parallel --will-cite -S : -j "$N" "$bin" campaign "$campaign" -j 1 --shard {}/$N \
  --out "$work/ssh/shard-{}"
"$bin" merge --out "$work/ssh/merged" "$work"/ssh/shard-*

for set in local ssh; do
  for f in summary.csv summary_by_point.csv runs.csv campaign.resolved.yaml; do
    cmp "$work/single/$f" "$work/$set/merged/$f"
  done
done
echo "ok: $N shards through GNU parallel merge to the single-machine summary"
