#!/usr/bin/python3
"""The testbed's port of popex-sim's outcome sampler (analysis/testbed/outcome_sampler.py, splitmix.py) draws the
same image outcomes as popex-sim: for each case, popex-sim simulate runs a scenario and every row of its images.csv
(exit, correct) must be what the port predicts for that image index. Per-sample data (B-AlexNet) needs
../shared/data and is skipped with a message when it is absent; the table cases (MobileNetV2, B-AlexNet tables,
interpolated threshold, a variant, branches on and off the edge) always run. From the repository root:

  /usr/bin/python3 tests/python/test_outcome_sampler.py build/release/popex-sim
"""
import csv
import os
import sys
import tempfile
import unittest

import yaml

import testing_support as ts

sys.path.insert(0, os.path.join(ts.REPO, "analysis", "testbed"))
from outcome_sampler import OutcomeSampler  # noqa: E402

BINARY = ts.popex_sim()
DNN = os.path.join(ts.REPO, "workloads", "dnn")
SCENARIO = os.path.join(ts.REPO, "workloads", "scenarios", "b-alexnet-3g.yaml")
SAMPLES = os.path.join(ts.REPO, "..", "shared", "data", "models", "b-alexnet", "per_sample_confidences_cifar10.csv")

# (name, DNN file, threshold, variant, policy, seed, needs ../shared/data)
CASES = [
    ("per-sample, every branch on the edge", "b-alexnet-per-sample.yaml", 0.8, None, "edge-only", 7, True),
    ("per-sample, cloud-only", "b-alexnet-per-sample.yaml", 0.65, None, "cloud-only", 11, True),
    ("per-sample, split after conv2", "b-alexnet-per-sample.yaml", 0.9, None, "fixed:conv2", 5, True),
    ("tables with backbone accuracy, cloud-only", "b-alexnet.yaml", 0.8, None, "cloud-only", 2, False),
    ("tables, split after conv1", "b-alexnet.yaml", 0.855, None, "fixed:conv1", 4, False),
    ("3 branches, interpolated threshold", "mobilenetv2-3b.yaml", 0.77, None, "edge-only", 3, False),
    ("3 branches, a variant, 2 on the edge", "mobilenetv2-3b.yaml", 0.8, "blur-2", "fixed:f13_ir96", 9, False),
]


def edge_branches(dnn_path, split):
    """How many branches (in layer order) run on the edge at split index `split`."""
    doc = yaml.safe_load(open(dnn_path, encoding="utf-8"))
    names = [layer["name"] for layer in doc["layers"]]
    return sum(1 for b in doc.get("branches") or [] if names.index(b["after"]) + 1 <= split)


class OutcomeSamplerPort(unittest.TestCase):
    def test_cases(self):
        for name, dnn, threshold, variant, policy, seed, needs_data in CASES:
            with self.subTest(name):
                if needs_data and not os.path.exists(SAMPLES):
                    print(f"SKIP {name}: {os.path.normpath(SAMPLES)} is absent (../shared/data not present)")
                    continue
                self.check(os.path.join(DNN, dnn), threshold, variant, policy, seed)

    def check(self, dnn, threshold, variant, policy, seed):
        with tempfile.TemporaryDirectory() as out:
            sets = ["--set", f"dnn={dnn}", "--set", f"threshold={threshold}", "--set", f"policy={policy}",
                    "--set", "images=400", "--set", f"seed={seed}", "--set", "uplink=wifi"]
            if variant:
                sets += ["--set", f"variant={variant}"]
            p = ts.run([BINARY, "simulate", SCENARIO, "--out", out] + sets)
            self.assertEqual(p.returncode, 0, p.stderr)
            rows = list(csv.DictReader(open(os.path.join(out, "images.csv"), encoding="utf-8")))
        self.assertEqual(len(rows), 400)
        sampler = OutcomeSampler(dnn, threshold, variant)
        names = sampler.branch_names + ["final"]
        on_edge = edge_branches(dnn, int(rows[0]["split_index"]))
        exits_at_branches = 0
        for r in rows:
            o = sampler.draw(seed, 0, int(r["image_id"]))
            taken = o.natural_exit if o.natural_exit < on_edge else sampler.k_final
            right = o.correct_at_branch if taken < sampler.k_final else o.correct_at_final
            self.assertEqual(r["exit"], names[taken], f"image {r['image_id']}")
            self.assertEqual(r["correct"], str(int(right)), f"image {r['image_id']}")
            exits_at_branches += taken < sampler.k_final
        if on_edge:
            self.assertGreater(exits_at_branches, 0)


if __name__ == "__main__":
    ts.main(__name__)
