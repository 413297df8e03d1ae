#!/usr/bin/python3
"""The SBRC sweep the way the original POPEX computes it: for every point, a networkx graph and a Dijkstra.

The reference that `popex-sim solve` is measured against (docs/performance.md, section 2). For each uplink rate,
gamma and branch exit probability q of a two-tier DNN with one side branch, it builds the partitioning graph

    in -> e0 -> e1 -> ... -> eN,  e_s -> out for every split s,

where e_{i-1} -> e_i costs rho_i gamma t_i (plus rho_i gamma tb_k when branch k follows layer i), and e_s -> out
costs R_s (L + 8 a_s / B + sum_{i>s} t_i + L + 8 r / B_down) for s < N and 0 for s = N (docs/model.md), then takes
networkx's Dijkstra path from `in` to `out`. It writes one CSV row per point with the chosen split and its expected
time, so that the benchmark also checks that both tools choose alike.

Usage: networkx_sweep.py DNN_YAML --rates 1100000,5500000,18800000 [--gammas 1:1000:1] [--q 0:1:0.1] [--latency-ms 0]
Needs Debian's python3-networkx and python3-yaml.
"""
import argparse
import sys

import networkx as nx
import yaml


def grid(text):
    lo, hi, step = (float(v) for v in text.split(":"))
    count = int(round((hi - lo) / step)) + 1
    return [lo + i * step for i in range(count)]


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("dnn")
    ap.add_argument("--rates", required=True, help="uplink rates, bit/s, comma-separated (downlink = uplink)")
    ap.add_argument("--gammas", default="1:1000:1")
    ap.add_argument("--q", default="0:1:0.1")
    ap.add_argument("--latency-ms", type=float, default=0.0)
    a = ap.parse_args()

    with open(a.dnn) as f:
        dnn = yaml.safe_load(f)
    layers = dnn["layers"]
    n = len(layers)
    names = [l["name"] for l in layers]
    t = [float(l["cloud_time_s"]) for l in layers]
    size = [float(dnn["input_bytes"])] + [float(l["output_bytes"]) for l in layers]  # a_0 .. a_N
    r = float(dnn.get("result_bytes", 0))
    branches = dnn.get("branches", [])
    if len(branches) != 1:
        sys.exit("networkx_sweep.py: the reference handles one side branch")
    after = names.index(branches[0]["after"]) + 1  # the branch follows layer `after` (1-based)
    tb = float(branches[0]["cloud_time_s"])
    suffix = [sum(t[s:]) for s in range(n + 1)]
    lat = a.latency_ms / 1e3

    out = sys.stdout
    out.write("gamma,uplink_bps,exit_prob,split_index,expected_time_s\n")
    for rate in (float(v) for v in a.rates.split(",")):
        for gamma in grid(a.gammas):
            for q in grid(a.q):
                g = nx.DiGraph()
                g.add_edge("in", 0, weight=0.0)
                for i in range(1, n + 1):
                    rho = 1.0 if i <= after else 1.0 - q  # the samples that reach layer i
                    w = rho * gamma * t[i - 1]
                    if i == after:
                        w += rho * gamma * tb
                    g.add_edge(i - 1, i, weight=w)
                for s in range(n + 1):
                    if s == n:
                        g.add_edge(s, "out", weight=0.0)
                        continue
                    reach = 1.0 if s < after else 1.0 - q  # R_s: not exited by a branch up to s
                    w = reach * (lat + 8 * size[s] / rate + suffix[s] + lat + 8 * r / rate)
                    g.add_edge(s, "out", weight=w)
                path = nx.dijkstra_path(g, "in", "out")
                cost = nx.path_weight(g, path, "weight")
                out.write(f"{gamma:g},{rate:g},{q:.10g},{path[-2]},{cost!r}\n")


if __name__ == "__main__":
    main()
