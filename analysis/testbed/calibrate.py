#!/usr/bin/python3
"""calibrate: measure the testbed's per-offload costs, the named parameters popex-sim needs, in a calibration run
that is none of the validated configurations.

It sets up the testbed's network (netns.py: the same namespaces, veth, tbf shaper) at rates the validation does not
use (default 2, 8 and 30 Mbit/s) and sends tensors of several sizes from the edge's namespace to the cloud node
through the testbed's own code path (wire.py; a sender thread and a collector thread, as edge_node.py does); the
cloud node answers at once (split = N: no layer to run). Before each send the link idles long enough to refill
the shaper's bucket, as it does between the validated images. Each offload gives: the transfer time (send call to
last byte at the cloud), the hand-off to the sender thread, the cloud's queueing (deserialisation) and the result's
way back.

Fit, by least squares over every (rate B, size S) sample:

    transfer_s = protocol_overhead x 8 S / B  +  c_up  -  8 burst_free_bytes / B  +  per_byte_s x S

* ``protocol_overhead``: wire bytes per payload byte (TCP/IP/Ethernet framing: 1514/1448 = 1.0456 in theory);
* ``burst_free_bytes``: the bytes the token bucket lets through at once after an idle period (tbf's burst, less the
  header bytes of the message);
* ``c_up``: a fixed time per transfer (system calls, wake-ups);
* ``per_byte_s``: a cost proportional to the bytes beyond framing, independent of the rate (copies,
  serialisation); it should come out near 0 with raw tensors.

``offload_overhead_ms`` = c_up + the medians of the hand-off, the cloud's queueing and the result's way back: the
fixed cost every offload pays beyond 8 S x protocol_overhead / B. Writes DIR/calibration.csv (every sample) and
DIR/calibration.yaml (the parameters, their standard errors and the fit's residual). As root, from the repository
root (about 2 minutes):

  /usr/bin/python3 analysis/testbed/calibrate.py --out /tmp/calib
"""
import argparse
import os
import queue
import socket
import subprocess
import sys
import threading
import time
from types import SimpleNamespace

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, os.path.join(HERE, "..", "profile"))

import numpy as np  # noqa: E402
import torch  # noqa: E402

import netns  # noqa: E402
import provenance  # noqa: E402
import wire  # noqa: E402
from profile_error import ArgumentParser, ProfileError  # noqa: E402
from testbed import Testbed, exit_code_of, stop_on_signals  # noqa: E402

PROG = "calibrate"
PYTHON = "/usr/bin/python3"
#: A network of one tiny layer: the cloud node needs one, and a split after it (s = N) runs nothing in the cloud.
PROBE_NET = ["--model", os.path.join(HERE, "probe_net.py") + ":make", "--input-shape", "1"]


def probe(host, port, sizes, reps, gap_s, out):
    """The edge side: send `reps` tensors of each size, idling `gap_s` before each; write one CSV row per send."""
    conn = socket.create_connection((host, port))
    wire.tune(conn)
    outbox, done, rows = queue.Queue(), queue.Queue(), []

    def sender():
        while (item := outbox.get()) is not None:
            rec, x = item
            rec["send_start"] = wire.now()
            wire.send_tensor(conn, 0, 1, x)

    def collector():
        while (msg := wire.recv_result(conn)) is not None:
            done.put((msg, wire.now()))

    threading.Thread(target=sender, daemon=True).start()
    threading.Thread(target=collector, daemon=True).start()
    order = [s for _ in range(reps) for s in sizes]  # interleaved: drifts spread over every size
    for size in order:
        x = torch.zeros(size // 4)
        time.sleep(gap_s)
        rec = {"bytes": size, "queued": wire.now()}
        outbox.put((rec, x))
        (_, received, started, cloud_done, _), finish = done.get()
        rec.update(received=received, cloud_start=started, cloud_done=cloud_done, finish=finish)
        rows.append(rec)
    outbox.put(None)
    conn.shutdown(socket.SHUT_WR)
    with open(out, "w", encoding="utf-8") as f:
        f.write("bytes,uplink_queue_s,transfer_s,cloud_queue_s,cloud_s,downlink_s\n")
        for r in rows:
            f.write(f"{r['bytes']},{r['send_start'] - r['queued']!r},{r['received'] - r['send_start']!r},"
                    f"{r['cloud_start'] - r['received']!r},{r['cloud_done'] - r['cloud_start']!r},"
                    f"{r['finish'] - r['cloud_done']!r}\n")


def fit(samples):
    """Least-squares fit of the transfer model; returns {name: (value, standard error)} and the residual's RMS."""
    b = samples["rate_bps"].to_numpy()
    s = samples["bytes"].to_numpy().astype(float)
    y = samples["transfer_s"].to_numpy()
    x = np.column_stack([8 * s / b, np.ones_like(b), -8 / b, s])
    coef, *_ = np.linalg.lstsq(x, y, rcond=None)
    resid = y - x @ coef
    dof = max(1, len(y) - x.shape[1])
    cov = np.linalg.inv(x.T @ x) * (resid @ resid) / dof
    se = np.sqrt(np.diag(cov))
    names = ["protocol_overhead", "c_up_s", "burst_free_bytes", "per_byte_s"]
    return {n: (float(c), float(e)) for n, c, e in zip(names, coef, se)}, float(np.sqrt(np.mean(resid ** 2)))


def calibrate(args):
    import pandas as pd

    settings = SimpleNamespace(uplink_bps=args.rates[0], gamma=1.0, gamma_method="idle", edge_core=args.edge_core,
                               cloud_core=args.cloud_core, timeout=600)
    frames = []
    monitor = provenance.LoadMonitor().start()
    stop_on_signals()
    with Testbed(settings) as tb:
        for rate in args.rates:
            tb.net.set_rate(rate)
            cloud = tb.spawn("cloud", [PYTHON, os.path.join(HERE, "cloud_node.py"), "--bind", netns.CLOUD_IP,
                                       "--port", "5078"] + PROBE_NET, stdout=subprocess.PIPE, text=True)
            if cloud.stdout.readline().strip() != "ready":
                raise RuntimeError("the cloud node did not start")
            part = os.path.join(args.out, f"probe-{int(rate)}.csv")
            gap = args.gap_s + 2 * 8 * netns.BURST_BYTES / rate  # the bucket refills fully before each send
            edge = tb.spawn("edge", [PYTHON, os.path.abspath(__file__), "--probe", f"{netns.CLOUD_IP}:5078",
                                     "--sizes", ",".join(map(str, args.sizes)), "--reps", str(args.reps),
                                     "--gap-s", repr(gap), "--out", part])
            tb.wait(edge, "the calibration probe")
            tb.wait(cloud, "the cloud node")
            df = pd.read_csv(part)
            df.insert(0, "rate_bps", rate)
            frames.append(df)
            os.remove(part)
    other = monitor.stop()
    samples = pd.concat(frames, ignore_index=True)
    samples.to_csv(os.path.join(args.out, "calibration.csv"), index=False)
    params, rms = fit(samples)
    fixed = {k: float(samples[k].median()) for k in ("uplink_queue_s", "cloud_queue_s", "downlink_s")}
    # a fixed time cannot be negative: a negative intercept is noise (a busy machine), and counts as 0
    overhead_ms = (max(0.0, params["c_up_s"][0]) + sum(fixed.values())) * 1e3
    lines = [f"# Testbed calibration: {provenance.command_line()}"] + [f"# {h}" for h in provenance.host_lines()]
    lines += [f"# {len(samples)} offloads: rates {', '.join(f'{r / 1e6:g}' for r in args.rates)} Mbit/s x sizes "
              f"{', '.join(map(str, args.sizes))} B x {args.reps}; tbf burst {netns.BURST_BYTES} B; other processes "
              f"used {other:.2f} cores meanwhile.",
              "# Fit: transfer_s = protocol_overhead 8S/B + c_up - 8 burst_free_bytes/B + per_byte_s S "
              "(value, standard error).",
              f"protocol_overhead: {params['protocol_overhead'][0]:.5f}",
              f"protocol_overhead_se: {params['protocol_overhead'][1]:.5f}",
              f"burst_free_bytes: {params['burst_free_bytes'][0]:.1f}",
              f"burst_free_bytes_se: {params['burst_free_bytes'][1]:.1f}",
              f"per_byte_ns: {params['per_byte_s'][0] * 1e9:.4f}",
              f"per_byte_ns_se: {params['per_byte_s'][1] * 1e9:.4f}",
              f"c_up_ms: {params['c_up_s'][0] * 1e3:.4f}",
              f"c_up_ms_se: {params['c_up_s'][1] * 1e3:.4f}",
              f"transfer_fit_rms_ms: {rms * 1e3:.4f}"]
    lines += [f"median_{k[:-2]}_ms: {v * 1e3:.4f}" for k, v in fixed.items()]
    lines += ["# offload_overhead_ms = c_up (0 if negative) + the median hand-off, cloud queueing and result return",
              f"offload_overhead_ms: {overhead_ms:.4f}", f"other_load_cores: {other:.3f}"]
    with open(os.path.join(args.out, "calibration.yaml"), "w", encoding="utf-8") as f:
        f.write("\n".join(lines) + "\n")
    print("\n".join(line for line in lines if not line.startswith("#")))


def _list(kind):
    def parse(text):
        try:
            values = [kind(v) for v in text.split(",")]
        except ValueError:
            values = []
        if not values or any(v <= 0 for v in values):
            raise argparse.ArgumentTypeError(f"must be a comma-separated list of positive numbers (got '{text}')")
        return values
    return parse


def main(argv=None):
    p = ArgumentParser(prog=PROG, description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("--out", help="output directory (calibration.csv, calibration.yaml)")
    p.add_argument("--rates", type=_list(float), default=[2e6, 8e6, 30e6], help="bit/s, comma-separated "
                   "(default 2e6,8e6,30e6: none of the validated rates)")
    p.add_argument("--sizes", type=_list(int), default=[4096, 16384, 65536, 196608],
                   help="tensor bytes, multiples of 4 (default 4096,16384,65536,196608)")
    p.add_argument("--reps", type=int, default=8, help="sends per (rate, size) (default 8)")
    p.add_argument("--gap-s", type=float, default=0.03, help="idle before each send, beyond the bucket's refill")
    p.add_argument("--edge-core", type=int, default=0)
    p.add_argument("--cloud-core", type=int, default=1)
    p.add_argument("--probe", metavar="HOST:PORT", help=argparse.SUPPRESS)  # the edge side, started by calibrate
    return exit_code_of(PROG, lambda: start(p.parse_args(sys.argv[1:] if argv is None else argv)),
                        bad_input=(ProfileError, ValueError))


def start(args):
    if args.probe:  # the edge side of a calibration, started by calibrate() in the edge's namespace
        host, port = args.probe.rsplit(":", 1)
        probe(host, int(port), args.sizes, args.reps, args.gap_s, args.out)
        return
    if os.geteuid() != 0:
        raise ProfileError("must run as root (network namespaces, tc)")
    if not args.out:
        raise ProfileError("--out is required")
    os.makedirs(args.out, exist_ok=True)
    calibrate(args)


if __name__ == "__main__":
    sys.exit(main())
