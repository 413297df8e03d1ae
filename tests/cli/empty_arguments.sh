#!/usr/bin/env bash
# Usage: empty_arguments.sh BINARY
# Empty option values, which the bad-input MANIFEST cannot express (it splits arguments on spaces): CLI11 alone
# reads '' as 0 for -j and --seed; popex-sim must refuse them with exit 2 and one line.
set -uo pipefail
bin=$1
fail() { echo "FAIL: $*"; exit 1; }
expect() { # EXPECTED ARGS...
  local want=$1; shift
  local err code
  err=$("$bin" "$@" 2>&1 >/dev/null); code=$?
  [ "$code" -eq 2 ] || fail "$*: exit code $code, want 2; stderr: $err"
  [ "$(printf '%s\n' "$err" | grep -c .)" -eq 1 ] || fail "$*: want one line, got: $err"
  case "$err" in *"$want"*) echo "ok: $err" ;; *) fail "$*: got: $err" ;; esac
}
expect "--jobs: must be a whole number within [0, 4096] (got '')" campaign tests/data/bad/campaign/valid.yaml -j '' --dry-run
expect "--seed: must be a whole number within [0, 9223372036854775807] (got '')" \
  simulate tests/data/scenarios/tiny3.yaml --seed '' --out build/bad-corpus/empty-arguments
