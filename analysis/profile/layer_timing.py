"""Per-layer and per-branch-head timing of a built network (net_layout.Network).

One timed run feeds the input through the layers in order, as inference does, and evaluates each branch head on
the output of the layer it follows; each layer and each head is timed alone with time.perf_counter, inside
torch.inference_mode. Warm-up runs come first and are not kept. With a Slowdown, each call lasts gamma x its
compute time (the testbed's emulated edge), and that is what is measured.

The summary of each layer is the median over the timed runs (the time written to the YAML) and its spread: the
10th and 90th percentiles and the mean. Library module; nothing to run.
"""
from dataclasses import dataclass

import numpy as np
import torch


@dataclass
class TimeStats:
    """Seconds over the timed runs of one layer or head."""

    median: float
    p10: float
    p90: float
    mean: float

    @staticmethod
    def of(samples):
        a = np.asarray(samples, dtype=float)
        return TimeStats(float(np.median(a)), float(np.percentile(a, 10)), float(np.percentile(a, 90)),
                         float(a.mean()))


@dataclass
class Timings:
    """The summary of a profiling run, layer order, then branch order."""

    layers: list  # TimeStats per layer
    branches: list  # TimeStats per branch
    runs: int
    warmup: int
    whole_median_s: float  # median over the runs of the sum of all layer and head times


def time_network(net, runs, warmup, slowdown):
    """Time `runs` runs of `net` after `warmup` untimed ones, each call through `slowdown`."""
    n, k = len(net.layers), len(net.heads)
    layer_s = np.zeros((runs, n))
    head_s = np.zeros((runs, k))
    with torch.inference_mode():
        for r in range(-warmup, runs):
            x = net.example
            for i, layer in enumerate(net.layers):
                x, dt = slowdown.call(layer, x)
                if r >= 0:
                    layer_s[r, i] = dt
                b = net.branch_at(i)
                if b is not None:
                    _, dt = slowdown.call(net.heads[b], x)
                    if r >= 0:
                        head_s[r, b] = dt
    whole = layer_s.sum(axis=1) + head_s.sum(axis=1)
    return Timings([TimeStats.of(layer_s[:, i]) for i in range(n)], [TimeStats.of(head_s[:, b]) for b in range(k)],
                   runs, warmup, float(np.median(whole)))
