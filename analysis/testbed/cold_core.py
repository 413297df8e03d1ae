#!/usr/bin/python3
"""cold_core: measure how much slower a computation is right after its process paused, the effect against which
keep_awake.py guards the testbed (strong with other load on the machine, absent on an idle one).

It times B-AlexNet's conv2..fc3 (the cloud's part after a conv1 split, one torch thread) on one core, each time
after a pause of 0 to 300 ms, in a shuffled order, in three modes:

* ``sleep``: the process sleeps through the pause; the core may halt (HLT: this KVM guest has no cpuidle driver)
  or run other processes;
* ``sleep+spinner``: the same, with a SCHED_IDLE spinner on the core (keep_awake.py): the core never halts;
* ``spin``: the process itself busy-waits through the pause.

It prints the median time per pause and mode. As root or not, from the repository root (about 1 minute):

  /usr/bin/python3 analysis/testbed/cold_core.py --core 1
"""
import argparse
import os
import random
import subprocess
import sys
import time

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, os.path.join(HERE, "..", "profile"))

import numpy as np  # noqa: E402
import torch  # noqa: E402

import popex_profile  # noqa: E402
import provenance  # noqa: E402
from keep_awake import PYTHON, SPIN  # noqa: E402
from net_layout import build_network  # noqa: E402

PAUSES_S = (0.0, 0.005, 0.02, 0.09, 0.3)


def measure(net, x0, mode, reps, seed):
    """Median seconds of conv2..fc3 after each pause, in `mode`."""
    pauses = list(PAUSES_S) * reps
    random.Random(seed).shuffle(pauses)
    times = {p: [] for p in PAUSES_S}
    with torch.inference_mode():
        for p in pauses:
            if mode == "spin":
                end = time.perf_counter() + p
                while time.perf_counter() < end:
                    pass
            else:
                time.sleep(p)
            t0 = time.perf_counter()
            x = x0
            for layer in net.layers[1:]:
                x = layer(x)
            times[p].append(time.perf_counter() - t0)
    return {p: float(np.median(v)) for p, v in times.items()}


def main():
    p = argparse.ArgumentParser(prog="cold_core", description=__doc__.split("\n\n")[0])
    p.add_argument("--core", type=int, default=1, help="the CPU to measure on (default 1)")
    p.add_argument("--reps", type=int, default=12, help="timed runs per pause and mode (default 12)")
    args = p.parse_args()
    os.sched_setaffinity(0, {args.core})
    torch.set_num_threads(1)
    net = build_network(popex_profile.layout_from_args(popex_profile.parse_with_preset(
        popex_profile.build_parser(), ["--preset", "b-alexnet", "--out", "unused"])))
    with torch.inference_mode():
        x0 = net.layers[0](net.example).clone()
        for _ in range(5):
            x = x0
            for layer in net.layers[1:]:
                x = layer(x)
    monitor = provenance.LoadMonitor().start()
    results = {}
    for mode in ("sleep", "sleep+spinner", "spin"):
        spinner = None
        if mode == "sleep+spinner":
            spinner = subprocess.Popen([PYTHON, "-c", SPIN], preexec_fn=lambda: os.sched_setaffinity(0, {args.core}))
            os.environ["POPEX_KEEP_AWAKE_PIDS"] = str(spinner.pid)
            time.sleep(0.2)
        try:
            results[mode] = measure(net, x0, mode, args.reps, seed=1)
        finally:
            if spinner:
                spinner.kill()
                spinner.wait()
    other = monitor.stop()
    for line in provenance.host_lines():
        print(f"# {line}")
    print(f"# B-AlexNet conv2..fc3 on core {args.core}, one thread, median of {args.reps} runs per cell, in ms; "
          f"other processes used {other:.2f} cores")
    print("mode," + ",".join(f"after_{p * 1e3:g}ms" for p in PAUSES_S))
    for mode, r in results.items():
        print(mode + "," + ",".join(f"{r[p] * 1e3:.1f}" for p in PAUSES_S))


if __name__ == "__main__":
    sys.exit(main())
