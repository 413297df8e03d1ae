#!/usr/bin/python3
"""information2021_gap: why popex-sim's Information 2021 setting predicts 12.6-47 ms where the paper's edge measured
88-415 ms, in numbers.

popex-sim's `mobilenetv2-information2021` scenario models the layers, the exits and the 94 Mbit/s, 12.8 ms RTT
link. The measurement (../shared/data/models/mobilenetv2/mdpi_edge_measured_inference_time.csv, from github
pachecobeto95/early_exit_dnn_analysis, appEdge) times the edge's whole request handler, and that code
(appEdge/api/services/edgeProcessing.py, appCloud/api/services/cloudProcessing.py) does per request what the model
leaves out. This script puts a number on each such cost:

1. popex-sim's prediction: ``popex-sim solve`` on workloads/dnn/mobilenetv2-3b.yaml at 94 Mbit/s, 6.4 ms each
   way, gamma 1, for 1, 2 and 3 branches on the edge (the fixed splits of the scenario's campaign), per p_tar;
2. the testbed's per-offload costs (calibration.yaml of calibrate.py: ``offload_overhead_ms`` and the framing
   factor), which a raw-TCP split adds;
3. measured here, per request of that code: the JPEG decode and transforms of every image (``transform_image``:
   Resize, CenterCrop, ToTensor, Normalize, on a synthetic 300x225 JPEG at the source's 330/300 sizes), and for an
   offloaded image the feature map's ``tolist()``, ``json.dumps`` (requests' ``json=``), ``json.loads`` (Flask) and
   ``torch.Tensor(list)`` (the cloud), with the JSON's size;
4. computed from TCP, at the paper's RTT: ``requests.post`` without a session opens a new connection per request
   (one RTT for the handshake), sends the JSON body from TCP's initial window of 10 segments (slow start: the window
   doubles every RTT until it fills the path's bandwidth-delay product), and waits one RTT for the response.

It prints the measured times per number of branches on the edge, then per (branches on the edge, p_tar)
popex-sim's prediction, the prediction plus the testbed's costs, and plus the request costs of 3 and 4 (written as
CSV with --out). Costs 3 are this host's CPU times, not the paper's machines'; what stays unknowable is listed in
docs/validation.md. From the repository root:

  /usr/bin/python3 analysis/testbed/information2021_gap.py --calibration results/validation/calibration/calibration.yaml
"""
import argparse
import csv
import io
import json
import os
import subprocess
import sys
import time

import numpy as np
import pandas as pd
import torch
import yaml

HERE = os.path.dirname(os.path.abspath(__file__))
REPO = os.path.normpath(os.path.join(HERE, "..", ".."))
DATA = os.path.join(REPO, "..", "shared", "data", "models", "mobilenetv2", "mdpi_edge_measured_inference_time.csv")
DNN = os.path.join(REPO, "workloads", "dnn", "mobilenetv2-3b.yaml")
SPLITS = {1: "f2_ir24", 2: "f9_ir64", 3: "f14_ir160"}  # branches on the edge -> the split after that branch's layer
SHAPES = {"f2_ir24": (24, 56, 56), "f9_ir64": (64, 14, 14), "f14_ir160": (160, 7, 7)}  # at 224x224
RATE_BPS, ONE_WAY_MS = 94e6, 6.4
MSS, INIT_WINDOW = 1448, 10


def median_time(fn, reps=15):
    """Median seconds of fn() over reps calls, after one warm-up call."""
    fn()
    ts = []
    for _ in range(reps):
        t0 = time.perf_counter()
        fn()
        ts.append(time.perf_counter() - t0)
    return float(np.median(ts))


def json_costs(shape):
    """The JSON path of the source for a float32 feature map: (edge s, cloud s, JSON bytes)."""
    x = torch.rand(shape)
    body = {"feature": x.numpy().tolist(), "conf": [0.5], "p_tar": 0.8, "nr_branch_edge": 2, "class_list": [1]}
    text = json.dumps(body)
    edge = median_time(lambda: json.dumps({"feature": x.numpy().tolist(), "conf": [0.5]}))
    cloud = median_time(lambda: torch.Tensor(json.loads(text)["feature"]))
    return edge, cloud, len(text.encode())


def preprocessing_s():
    """transform_image of the source on a synthetic 300x225 JPEG (Caltech-256's typical size), Resize 330, crop 300."""
    from PIL import Image
    import torchvision.transforms as T

    rng = np.random.default_rng(0)
    img = (np.linspace(0, 255, 300)[None, :, None] * np.ones((225, 1, 3)) + rng.normal(0, 20, (225, 300, 3)))
    buf = io.BytesIO()
    Image.fromarray(img.clip(0, 255).astype(np.uint8)).save(buf, format="JPEG", quality=90)
    data = buf.getvalue()
    tf = T.Compose([T.Resize(330), T.CenterCrop(300), T.ToTensor(),
                    T.Normalize([0.46, 0.44, 0.41], [0.27, 0.26, 0.28])])
    return median_time(lambda: tf(Image.open(io.BytesIO(data))).unsqueeze(0))


def tcp_request_s(body_bytes, rtt_s=2 * ONE_WAY_MS / 1e3, rate_bps=RATE_BPS):
    """A new connection's request: handshake RTT, body in slow start from 10 segments, one RTT for the answer."""
    cwnd, left, t = INIT_WINDOW * MSS, body_bytes, rtt_s  # the handshake
    while left > 0:
        sent = min(left, cwnd)
        t += max(rtt_s, 8 * sent / rate_bps) if left > sent else 8 * sent / rate_bps + rtt_s / 2
        left -= sent
        cwnd *= 2
    return t + rtt_s / 2  # the response's way back


def popex_sim_prediction(binary, threshold, split):
    out = subprocess.run([binary, "solve", "--dnn", DNN, "--gamma", "1", "--uplink", "94Mbps", "--latency-ms",
                          str(ONE_WAY_MS), "--threshold", repr(threshold), "--format", "csv"],
                         check=True, stdout=subprocess.PIPE, text=True).stdout
    row = next(r for r in csv.DictReader(io.StringIO(out)) if r["split_after"] == split)
    return float(row["expected_time_s"]), float(row["offload_prob"])


def main():
    p = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    p.add_argument("--popex-sim", default=os.path.join(REPO, "build", "release", "popex-sim"))
    p.add_argument("--calibration", help="calibration.yaml of calibrate.py (the testbed's per-offload costs)")
    p.add_argument("--out", help="write the prediction table as CSV here")
    args = p.parse_args()
    torch.set_num_threads(1)
    data = pd.read_csv(DATA)
    print("measured (Information 2021, 5-branch model; ms):")
    stats = data.groupby("nr_branch_edge")["inference_time"].agg(["count", "mean", "median", "min"])
    print((stats * [1, 1e3, 1e3, 1e3]).round(1).to_string())
    offload_ms, framing = 0.0, 1.0
    if args.calibration:
        with open(args.calibration, encoding="utf-8") as f:
            cal = dict(line.split(":", 1) for line in f if line.strip() and not line.startswith("#"))
        offload_ms, framing = float(cal["offload_overhead_ms"]), float(cal["protocol_overhead"])
    pre = preprocessing_s()
    print(f"every image: JPEG decode + transforms {pre * 1e3:.1f} ms (this host, one thread)")
    with open(DNN, encoding="utf-8") as f:
        layers = {layer["name"]: layer for layer in yaml.safe_load(f)["layers"]}
    rows = []
    for k, split in SPLITS.items():
        size = layers[split]["output_bytes"]
        enc, dec, jbytes = json_costs((1,) + SHAPES[split])
        req = tcp_request_s(jbytes)
        print(f"{k} branch(es) on the edge, split {split}: {size} B raw, JSON {jbytes} B ({jbytes / size:.1f}x); "
              f"tolist + dumps {enc * 1e3:.1f} ms, loads + Tensor {dec * 1e3:.1f} ms; new-connection request "
              f"{req * 1e3:.1f} ms (raw transfer {8 * size / RATE_BPS * 1e3:.1f} ms + 2 x {ONE_WAY_MS} ms)")
        for thr in (0.7, 0.8, 0.85, 0.9):
            et, r = popex_sim_prediction(args.popex_sim, thr, split)
            testbed = et + r * (offload_ms / 1e3 + 8 * size * (framing - 1) / RATE_BPS)
            request = et + pre + r * (enc + dec + req - 8 * size / RATE_BPS - 2 * ONE_WAY_MS / 1e3)
            rows.append({"branches_on_edge": k, "split": split, "p_tar": f"{thr:g}", "offload_prob": round(r, 3),
                         "popex_sim_ms": et * 1e3, "plus_testbed_costs_ms": testbed * 1e3,
                         "plus_request_costs_ms": request * 1e3})
    table = pd.DataFrame(rows)
    print("popex-sim (3-branch model, 224x224; ms):")
    print(table.round(1).to_string(index=False))
    if args.out:
        table.to_csv(args.out, index=False)


if __name__ == "__main__":
    sys.exit(main())
