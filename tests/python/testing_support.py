"""Shared helpers of the Python tests in tests/python (plain scripts run by Debian's /usr/bin/python3 under ctest;
tests/python.cmake registers them). Nothing to run.

* ``REPO``: the repository root; the tests run from there.
* ``popex_sim()``: the popex-sim binary, given by ctest as the first argument ($<TARGET_FILE:popex-sim>).
* ``skip(msg)``: report a skip with its reason and exit 77, ctest's SKIP_RETURN_CODE for these tests.
* ``run(cmd)``: run a command and return the CompletedProcess (text output captured).
* ``write_per_sample_csv(path, n, branches)``: a small per-sample confidence CSV in the project's format.
"""
import os
import random
import subprocess
import sys

REPO = os.path.normpath(os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", ".."))
PYTHON = "/usr/bin/python3"
PROFILER = os.path.join(REPO, "analysis", "profile", "popex_profile.py")
TINY = os.path.join(REPO, "tests", "python", "tiny_net.py") + ":make"
SKIP = 77


def popex_sim():
    if len(sys.argv) < 2 or not os.access(sys.argv[1], os.X_OK):
        print(f"usage: {sys.argv[0]} PATH/TO/popex-sim", file=sys.stderr)
        sys.exit(2)
    return os.path.abspath(sys.argv[1])


def skip(msg):
    print(f"SKIP: {msg}")
    sys.exit(SKIP)


def run(cmd, **kw):
    return subprocess.run(cmd, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, cwd=REPO, **kw)


def write_per_sample_csv(path, n, branches, seed=3):
    """n samples with random confidences and correctness at `branches` side branches plus the final exit."""
    rng = random.Random(seed)
    cols = [f"{kind}_branch_{k}" for k in range(1, branches + 2) for kind in ("conf", "correct")]
    with open(path, "w", encoding="utf-8") as f:
        f.write(",".join(cols) + "\n")
        for _ in range(n):
            f.write(",".join(f"{rng.random():.4f}" if c.startswith("conf") else str(rng.randint(0, 1))
                             for c in cols) + "\n")


def main(module_name):
    """Run the unittest cases of a test script; argv[1] (popex-sim) is taken off first. Exit 1 on any failure."""
    import unittest

    suite = unittest.defaultTestLoader.loadTestsFromModule(sys.modules[module_name])
    result = unittest.TextTestRunner(verbosity=2).run(suite)
    sys.exit(0 if result.wasSuccessful() else 1)
