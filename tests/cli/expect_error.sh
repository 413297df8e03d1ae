#!/usr/bin/env bash
# Usage: expect_error.sh BINARY MANIFEST NAME
# Runs the bad-input case NAME of MANIFEST (lines NAME<TAB>ARGS<TAB>EXPECTED; ARGS split on spaces, run from the
# repository root) and passes when popex-sim exits with code 2 and prints exactly one line on stderr that contains
# EXPECTED: the file:line:col, field, rule and value the user must see.
set -u
bin=$1; manifest=$2; name=$3
line=$(awk -F'\t' -v n="$name" '$1 == n { print; exit }' "$manifest")
[ -n "$line" ] || { echo "FAIL: no case '$name' in $manifest"; exit 1; }
IFS=$'\t' read -r _ args expected <<< "$line"
read -ra argv <<< "$args"
err=$("$bin" "${argv[@]}" 2>&1 >/dev/null); code=$?
lines=$(printf '%s\n' "$err" | grep -c .)
if [ "$code" -ne 2 ]; then echo "FAIL: exit code $code, want 2; stderr: $err"; exit 1; fi
if [ "$lines" -ne 1 ]; then echo "FAIL: $lines lines on stderr, want 1: $err"; exit 1; fi
case "$err" in
  *"$expected"*) echo "ok: $err" ;;
  *) echo "FAIL: stderr does not contain: $expected"; echo "got: $err"; exit 1 ;;
esac
