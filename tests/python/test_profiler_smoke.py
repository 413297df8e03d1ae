#!/usr/bin/python3
"""Profiler smoke test: a tiny network, a few repetitions; the DNN YAML and the edge profile load in popex-sim solve
and every time is > 0. The first profile runs as a real process; the others call popex_profile.main (what the
command runs) in-process, so that torch is imported once. Run by ctest (tests/python.cmake), or by hand from the
repository root:

  /usr/bin/python3 tests/python/test_profiler_smoke.py build/release/popex-sim
"""
import contextlib
import csv
import io
import os
import sys
import tempfile
import unittest

import yaml

import testing_support as ts

sys.path.insert(0, os.path.dirname(ts.PROFILER))
import popex_profile  # noqa: E402

BINARY = ts.popex_sim()
NETWORK = ["--model", ts.TINY, "--layer", "a=0", "--layer", "b=1", "--layer", "c=2", "--branch", "b1=a",
           "--input-shape", "3x16x16", "--runs", "5", "--warmup", "1"]


class ProfilerSmoke(unittest.TestCase):
    def setUp(self):
        self.tmp = tempfile.TemporaryDirectory()
        self.csv = os.path.join(self.tmp.name, "conf.csv")
        ts.write_per_sample_csv(self.csv, 200, branches=1)

    def tearDown(self):
        self.tmp.cleanup()

    def profile(self, *extra, process=False):
        """Run the profiler on the tiny network, as a process or in-process; it must succeed."""
        if process:
            p = ts.run([ts.PYTHON, ts.PROFILER] + NETWORK + list(extra))
            self.assertEqual(p.returncode, 0, p.stderr)
            return
        err = io.StringIO()
        with contextlib.redirect_stderr(err):
            code = popex_profile.main(NETWORK + list(extra))
        self.assertEqual(code, 0, err.getvalue())

    def solve(self, dnn, *extra):
        p = ts.run([BINARY, "solve", "--dnn", dnn, "--gamma", "10", "--uplink", "3g", "--threshold", "0.8",
                    "--chosen-only", "--format", "csv"] + list(extra))
        self.assertEqual(p.returncode, 0, p.stderr)
        rows = list(csv.DictReader(io.StringIO(p.stdout)))
        self.assertEqual(len(rows), 1)
        return rows[0]

    def test_dnn_yaml_with_tables_loads_and_times_are_positive(self):
        out = os.path.join(self.tmp.name, "tiny.yaml")
        self.profile("--exits-csv", self.csv, "--name", "tiny", "--out", out, process=True)
        doc = yaml.safe_load(open(out, encoding="utf-8"))
        self.assertEqual([layer["name"] for layer in doc["layers"]], ["a", "b", "c"])
        self.assertTrue(all(layer["cloud_time_s"] > 0 for layer in doc["layers"]))
        self.assertTrue(all(b["cloud_time_s"] > 0 for b in doc["branches"]))
        # dtype-aware sizes of the real tensors: float32 3x16x16 in, 8x8x8, 16x4x4, 5 out
        self.assertEqual(doc["input_bytes"], 3 * 16 * 16 * 4)
        self.assertEqual([layer["output_bytes"] for layer in doc["layers"]], [8 * 8 * 8 * 4, 16 * 4 * 4 * 4, 20])
        self.assertIn("torch.get_num_threads() = 1", open(out, encoding="utf-8").read())
        row = self.solve(out)
        self.assertEqual(row["dnn"], "tiny")
        self.assertGreater(float(row["expected_time_s"]), 0)

    def test_per_sample_reference_and_edge_profile_load(self):
        out = os.path.join(self.tmp.name, "tiny-ps.yaml")
        self.profile("--per-sample", self.csv, "--name", "tiny", "--out", out)
        edge = os.path.join(self.tmp.name, "edge.yaml")
        self.profile("--slowdown", "2", "--name", "tiny", "--edge-profile-out", edge)
        doc = yaml.safe_load(open(edge, encoding="utf-8"))
        self.assertEqual(doc["dnn"], "tiny")
        self.assertTrue(all(x["edge_time_s"] > 0 for x in doc["layers"] + doc["branches"]))
        row = self.solve(out, "--edge-profile", edge)
        self.assertGreater(float(row["expected_time_s"]), 0)

    def test_exits_copied_from_a_dnn_yaml_are_identical(self):
        src = os.path.join(self.tmp.name, "src.yaml")
        self.profile("--exits-csv", self.csv, "--thresholds", "0.6:0.9:0.1", "--name", "tiny", "--out", src)
        out = os.path.join(self.tmp.name, "copy.yaml")
        self.profile("--exits-from", src, "--name", "tiny", "--out", out)
        a, b = (yaml.safe_load(open(p, encoding="utf-8")) for p in (src, out))
        for key in ("default_threshold", "variant", "final_accuracy", "backbone_accuracy"):
            self.assertEqual(a[key], b[key], key)
        self.assertEqual(a["branches"][0]["exits"], b["branches"][0]["exits"])
        self.solve(out)


if __name__ == "__main__":
    ts.main(__name__)
