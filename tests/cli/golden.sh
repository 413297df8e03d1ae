#!/usr/bin/env bash
# Usage: golden.sh BINARY MANIFEST WORKDIR [--update]
# Byte-for-byte regression of results: each MANIFEST line NAME<TAB>SHA256<TAB>ARGS runs `popex-sim ARGS` (from the
# repository root) and hashes what it produced: stdout for `solve`; images.csv, decisions.csv and summary.csv for
# `simulate` (whose --out is WORKDIR/NAME, appended here). A refactor that changes one bit of a result fails here,
# with the case's name; a change that is meant (a model change) updates the hash with --update, and says why in
# its commit. The hashes were made by the binary of the commit that added each line.
set -uo pipefail
bin=$1; manifest=$2; work=$3; update=${4:-}
rm -rf "$work"; mkdir -p "$work"
status=0; new_manifest=""
while IFS= read -r line; do
  case "$line" in ''|'#'*) new_manifest+="$line"$'\n'; continue ;; esac
  IFS=$'\t' read -r name want args <<< "$line"
  read -ra argv <<< "$args"
  if [ "${argv[0]}" = simulate ]; then
    "$bin" "${argv[@]}" --out "$work/$name" 2>/dev/null || { echo "FAIL: $name: popex-sim failed"; status=1; continue; }
    got=$(cat "$work/$name/images.csv" "$work/$name/decisions.csv" "$work/$name/summary.csv" | sha256sum | cut -c1-64)
  else
    got=$("$bin" "${argv[@]}" 2>/dev/null | sha256sum | cut -c1-64)
  fi
  if [ "$got" = "$want" ]; then
    echo "ok: $name"
  elif [ "$update" = --update ]; then
    echo "updated: $name"
  else
    echo "FAIL: $name: results changed (sha256 $got, want $want): popex-sim ${argv[*]}"
    status=1
  fi
  new_manifest+="$name"$'\t'"$got"$'\t'"$args"$'\n'
done < "$manifest"
[ "$update" = --update ] && printf '%s' "$new_manifest" > "$manifest"
exit $status
