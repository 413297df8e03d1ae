#!/usr/bin/env bash
# Usage: one_device.sh BINARY WORKDIR
# One device reproduces the single-device results exactly: the tiny3 scenario on the pair platform and the same
# scenario with `devices: 1` on a generated platform give byte-identical images, decisions and summary CSVs,
# for every policy.
set -euo pipefail
bin=$1; work=$2
rm -rf "$work"
for policy in static dynamic oracle cloud-only; do
  "$bin" simulate tests/data/scenarios/tiny3.yaml --set policy=$policy --out "$work/$policy-platform" 2>/dev/null
  "$bin" simulate tests/data/scenarios/tiny3-generated.yaml --set policy=$policy --out "$work/$policy-generated" 2>/dev/null
  for f in images.csv decisions.csv summary.csv; do cmp "$work/$policy-platform/$f" "$work/$policy-generated/$f"; done
done
echo "ok: devices: 1 = the single-device run, for static, dynamic, oracle, cloud-only"
