#!/usr/bin/python3
"""Profiler bad input: every case exits with code 2 and prints exactly one line, "popex_profile: error: ...",
naming the problem. The cases run in-process through popex_profile.main (the function the command runs), so that
torch is imported once; two of them also run as real processes. Run by ctest (tests/python.cmake), or by hand from
the repository root:

  /usr/bin/python3 tests/python/test_profiler_bad_input.py build/release/popex-sim
"""
import contextlib
import io
import os
import sys
import tempfile
import unittest

import testing_support as ts

sys.path.insert(0, os.path.dirname(ts.PROFILER))
import popex_profile  # noqa: E402

ts.popex_sim()  # the common calling convention; this test does not run popex-sim
TINY = ["--model", ts.TINY, "--input-shape", "3x16x16", "--runs", "1", "--warmup", "0"]
OUT = ["--out", os.path.join(tempfile.gettempdir(), "popex-profile-bad-input-never-written.yaml")]

# (name, arguments, text the one line must contain)
CASES = [
    ("unknown torchvision model", ["--model", "alexnett"] + OUT, "unknown model 'alexnett'"),
    ("missing model file", ["--model", "no/such/file.py:make"] + OUT, "file 'no/such/file.py' does not exist"),
    ("module path that does not exist", TINY + ["--layer", "a=0", "--layer", "b=7"] + OUT,
     "module path '7' does not exist"),
    ("range past the children", ["--model", "alexnet", "--layer", "a=features.0..20"] + OUT,
     "module path 'features.13' does not exist"),
    ("branch after the last layer", TINY + ["--branch", "b1=l3"] + OUT, "cannot follow the last layer"),
    ("branch after an unknown layer", TINY + ["--branch", "b1=zz"] + OUT, "no layer 'zz'"),
    ("two branches on one layer", TINY + ["--branch", "b1=l1", "--branch", "b2=l1"] + OUT, "already has a branch"),
    ("shape mismatch between layers", TINY + ["--layer", "a=0", "--layer", "b=2"] + OUT,
     "layer 'b' does not accept the output of layer 'a'"),
    ("input shape mismatch", ["--model", ts.TINY, "--input-shape", "1x16x16"] + OUT,
     "layer 'l1' does not accept the input"),
    ("malformed input shape", TINY + ["--input-shape", "3x0x16"] + OUT, "--input-shape must be positive integers"),
    ("zero runs", TINY + ["--runs", "0"] + OUT, "argument --runs: must be >= 1 (got 0)"),
    ("runs not a number", TINY + ["--runs", "many"] + OUT, "argument --runs: must be an integer"),
    ("slowdown below 1", TINY + ["--slowdown", "0.5"] + OUT, "argument --slowdown: must be >= 1"),
    ("slowdown not finite", TINY + ["--slowdown", "nan"] + OUT, "argument --slowdown: must be >= 1"),
    ("unknown dtype", TINY + ["--dtype", "int8"] + OUT, "--dtype must be one of"),
    ("unknown preset", ["--preset", "lenet"] + OUT, "invalid choice: 'lenet'"),
    ("preset plus layers", ["--preset", "b-alexnet", "--layer", "x=features.0"] + OUT, "drop --layer"),
    ("no output", TINY, "give exactly one of --out"),
    ("branches without exit data", TINY + ["--branch", "b1=l1"] + OUT, "needs exit data"),
    ("exit data of another network", TINY + ["--branch", "b1=l1", "--exits-from",
                                             os.path.join(ts.REPO, "workloads", "dnn", "mobilenetv2-3b.yaml")] + OUT,
     "has branches [b1, b2, b3]"),
    ("unknown option", TINY + ["--repetitions", "3"] + OUT, "unrecognized arguments: --repetitions"),
]


class ProfilerBadInput(unittest.TestCase):
    def check(self, code, out, err, expected):
        lines = err.splitlines()
        self.assertEqual(code, 2, err)
        self.assertEqual(len(lines), 1, err)
        self.assertTrue(lines[0].startswith("popex_profile: error: "), lines[0])
        self.assertIn(expected, lines[0])
        self.assertEqual(out, "")

    def test_each_case_exits_2_with_one_line(self):
        for name, args, expected in CASES:
            with self.subTest(name):
                out, err = io.StringIO(), io.StringIO()
                with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
                    code = popex_profile.main(args)
                self.check(code, out.getvalue(), err.getvalue(), expected)

    def test_as_a_process(self):
        for name, args, expected in (CASES[0], CASES[7]):
            with self.subTest(name):
                p = ts.run([ts.PYTHON, ts.PROFILER] + args)
                self.check(p.returncode, p.stdout, p.stderr, expected)


if __name__ == "__main__":
    ts.main(__name__)
