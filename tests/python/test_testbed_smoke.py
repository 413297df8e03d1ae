#!/usr/bin/python3
"""Testbed smoke test: one configuration with a handful of images completes, its images.csv has the simulator's
columns and popex-sim's exits, and everything it created (network namespaces with their veth and tbf qdisc,
cgroups, processes) is gone afterwards, also after a SIGTERM in the middle of a run. The network is a tiny CNN, so
the test is about the machinery, not about timing (nothing here asserts a speed).

Needs root and network namespaces; it is skipped, with the reason, without them. The cgroup gamma method is used
when the cgroup v1 cpu controller exists (otherwise compute-then-idle). From the repository root:

  /usr/bin/python3 tests/python/test_testbed_smoke.py build/release/popex-sim
"""
import csv
import os
import re
import signal
import subprocess
import sys
import tempfile
import time
import unittest

import testing_support as ts

ts.popex_sim()  # the common calling convention; the testbed itself does not run popex-sim
sys.path.insert(0, os.path.join(ts.REPO, "analysis", "testbed"))
sys.path.insert(0, os.path.dirname(ts.PROFILER))
import cpu_cgroup  # noqa: E402
import keep_awake  # noqa: E402
import netns  # noqa: E402
import popex_profile  # noqa: E402
from outcome_sampler import OutcomeSampler  # noqa: E402

TESTBED = os.path.join(ts.REPO, "analysis", "testbed", "testbed.py")
NETWORK = ["--model", ts.TINY, "--layer", "a=0", "--layer", "b=1", "--layer", "c=2", "--branch", "b1=a",
           "--input-shape", "3x16x16"]


def leftovers():
    """Everything of any testbed run that exists now."""
    return set(netns.stale_namespaces()) | set(netns.stale_links()) | set(cpu_cgroup.stale_cgroups()) \
        | {f"spinner {pid}" for pid in keep_awake.stale_spinners()}


def prerequisites():
    if os.geteuid() != 0:
        ts.skip("the testbed needs root (network namespaces, tc, cgroups)")
    probe = f"popex-tb-probe-{os.getpid()}"
    p = ts.run(["ip", "netns", "add", probe])
    if p.returncode != 0:
        ts.skip(f"this kernel or system cannot create network namespaces: {p.stderr.strip()}")
    ts.run(["ip", "netns", "del", probe])


class TestbedSmoke(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.tmp = tempfile.TemporaryDirectory()
        cls.csv = os.path.join(cls.tmp.name, "conf.csv")
        ts.write_per_sample_csv(cls.csv, 100, branches=1)
        cls.dnn = os.path.join(cls.tmp.name, "tiny.yaml")
        assert popex_profile.main(NETWORK + ["--runs", "3", "--warmup", "1", "--per-sample", cls.csv,
                                             "--default-threshold", "0.5", "--name", "tiny", "--out", cls.dnn]) == 0
        cls.method = "cgroup" if cpu_cgroup.available() else "idle"
        if cls.method == "idle":
            print(f"note: no cgroup v1 cpu controller at {cpu_cgroup.ROOT}: gamma by compute-then-idle only")

    @classmethod
    def tearDownClass(cls):
        cls.tmp.cleanup()

    def command(self, out, images, uplink="18.8Mbps", split="b"):
        return [ts.PYTHON, TESTBED] + NETWORK + ["--dnn", self.dnn, "--split", split, "--gamma", "2",
                                                 "--gamma-method", self.method, "--uplink", uplink,
                                                 "--images", str(images), "--seed", "4", "--out", out]

    def test_a_run_completes_and_cleans_up(self):
        before = leftovers()
        out = os.path.join(self.tmp.name, "run")
        edge = os.path.join(self.tmp.name, "edge.yaml")
        p = ts.run(self.command(out, 6) + ["--edge-profile-out", edge, "--profile-runs", "3"], timeout=300)
        self.assertEqual(p.returncode, 0, p.stderr)
        self.assertEqual(leftovers() - before, set())
        rows = list(csv.DictReader(open(os.path.join(out, "images.csv"), encoding="utf-8")))
        self.assertEqual(sorted(int(r["image_id"]) for r in rows), list(range(6)))
        sampler = OutcomeSampler(self.dnn)
        for r in rows:  # split after b: branch b1 is on the edge, so every image leaves where popex-sim says
            o = sampler.draw(4, 0, int(r["image_id"]))
            self.assertEqual(r["exit"], "b1" if o.natural_exit == 0 else "final")
            self.assertEqual(r["exit_location"], "edge" if o.natural_exit == 0 else "cloud")
            parts = sum(float(r[k]) for k in ("edge_queue_s", "edge_s", "uplink_queue_s", "transfer_s",
                                              "cloud_queue_s", "cloud_s", "downlink_s"))
            self.assertAlmostEqual(parts, float(r["latency_s"]), places=9)
        summary = next(csv.DictReader(open(os.path.join(out, "summary.csv"), encoding="utf-8")))
        self.assertEqual(summary["images"], "6")
        self.assertTrue(os.path.exists(edge))

    def test_sigterm_in_the_middle_cleans_up(self):
        before = leftovers()
        out = os.path.join(self.tmp.name, "killed")
        # cloud-only at 100 kbit/s: 3 KB per image, about 0.25 s each; the run would take minutes
        p = subprocess.Popen(self.command(out, 1000, uplink="100kbps", split="input"), cwd=ts.REPO,
                             stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
        deadline = time.monotonic() + 120
        while not (leftovers() - before) and time.monotonic() < deadline and p.poll() is None:
            time.sleep(0.2)
        time.sleep(3)  # let the nodes start
        p.send_signal(signal.SIGTERM)
        _, err = p.communicate(timeout=120)
        self.assertEqual(p.returncode, 130, err)
        self.assertIn("interrupted by SIGTERM", err)
        self.assertEqual(leftovers() - before, set())

    def test_sigkill_then_cleanup_removes_the_rest(self):
        before = leftovers()
        out = os.path.join(self.tmp.name, "sigkilled")
        # no pipes: the nodes it leaves behind would hold them open
        p = subprocess.Popen(self.command(out, 1000, uplink="100kbps", split="input"), cwd=ts.REPO,
                             stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        deadline = time.monotonic() + 120
        while not [n for n in leftovers() - before if n.endswith("-awake")] and time.monotonic() < deadline \
                and p.poll() is None:
            time.sleep(0.2)
        time.sleep(2)  # let the nodes start
        p.kill()  # no clean-up of its own: the namespaces, cgroups, nodes and spinners stay
        p.wait(timeout=60)
        left = leftovers() - before
        run_ids = {re.match(r"popex-tb-([0-9a-f]{6})-", n).group(1) for n in left if n.startswith("popex-tb-")}
        self.assertEqual(len(run_ids), 1, left)
        # only this run's leftovers: a validation running beside the test suite keeps its own
        c = ts.run([ts.PYTHON, TESTBED, "--cleanup", run_ids.pop()], timeout=120)
        self.assertEqual(c.returncode, 0, c.stderr)
        self.assertIn("removed netns popex-tb-", c.stderr)
        self.assertEqual(leftovers() - before, set())


if __name__ == "__main__":
    prerequisites()
    ts.main(__name__)
