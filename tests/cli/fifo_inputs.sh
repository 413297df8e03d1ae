#!/usr/bin/env bash
# Usage: fifo_inputs.sh BINARY WORKDIR
# A FIFO with no writer given as the DNN, the scenario, the campaign, an edge profile or a trace must be refused at
# once (exit 2, one line), never waited on: reading it would block forever. `timeout` is a generous bound that only
# a hang can reach.
set -uo pipefail
bin=$1; work=$2
rm -rf "$work"; mkdir -p "$work"
fifo="$work/fifo"
mkfifo "$fifo"
fail() { echo "FAIL: $*"; exit 1; }
expect_refused() { # WHAT ARGS...
  local what=$1; shift
  local err code
  err=$(timeout 120 "$bin" "$@" 2>&1 >/dev/null); code=$?
  [ "$code" -eq 2 ] || fail "$what: exit code $code, want 2 (124 is a hang); stderr: $err"
  [ "$(printf '%s\n' "$err" | grep -c .)" -eq 1 ] || fail "$what: want one line, got: $err"
  case "$err" in *"must be a regular file (got a FIFO)"*|*"must name a regular file, not a FIFO"*|*"not a regular file"*) ;; *) fail "$what: $err" ;; esac
  echo "ok: $what: $err"
}
expect_refused "solve --dnn" solve --dnn "$fifo"
expect_refused "simulate" simulate "$fifo" --out "$work/out"
expect_refused "campaign" campaign "$fifo" --out "$work/out"
expect_refused "campaign --dry-run" campaign "$fifo" --dry-run
expect_refused "scenario dnn" simulate tests/data/scenarios/tiny3.yaml --set "dnn=$fifo" --out "$work/out"
expect_refused "edge profile" solve --dnn tests/data/dnn/tiny3.yaml --threshold 0.5 --edge-profile "$fifo"
expect_refused "import-trace" import-trace --format mahimahi "$fifo" -o "$work/t.profile"
