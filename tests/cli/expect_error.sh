#!/usr/bin/env bash
# Usage: expect_error.sh BINARY EXPECTED ARGS...
# Runs BINARY ARGS, and passes when it exits with code 2 and its stderr is exactly one line that contains
# EXPECTED (the file:line:col, field, rule and value the user must see).
set -u
bin=$1; expected=$2; shift 2
err=$("$bin" "$@" 2>&1 >/dev/null); code=$?
lines=$(printf '%s\n' "$err" | grep -c .)
if [ "$code" -ne 2 ]; then echo "FAIL: exit code $code, want 2; stderr: $err"; exit 1; fi
if [ "$lines" -ne 1 ]; then echo "FAIL: $lines lines on stderr, want 1: $err"; exit 1; fi
case "$err" in
  *"$expected"*) echo "ok: $err" ;;
  *) echo "FAIL: stderr does not contain: $expected"; echo "got: $err"; exit 1 ;;
esac
