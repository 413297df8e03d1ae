"""The testbed's outputs, in popex-sim simulate's formats (docs/outputs.md), where the columns apply.

* ``images.csv``: one row per image in finishing order, simulate's columns. Every duration is the difference of two
  consecutive CLOCK_MONOTONIC timestamps of the image's path (arrival, edge start, edge done, send start, tensor
  received by the cloud, cloud start, cloud done, result back at the edge), so the parts add up to ``latency_s``
  exactly. ``transfer_s`` is from the edge's send call to the cloud's last byte, ``downlink_s`` from the cloud's
  end of computation to the result at the edge, and ``cloud_queue_s`` from the last byte to the computation's start.
* ``summary.csv``: simulate's metric columns (nearest-rank percentiles, standard error, throughput), after the run's
  parameters.

Library module; nothing to run.
"""
import csv
import math
import os

IMAGE_COLUMNS = ["image_id", "device", "arrival_s", "start_s", "finish_s", "latency_s", "split_index",
                 "split_after", "exit", "exit_location", "edge_queue_s", "edge_s", "uplink_queue_s", "transfer_s",
                 "cloud_queue_s", "cloud_s", "downlink_s", "bytes_up", "correct"]


class ImageRecord:
    """The timestamps and outcome of one image (CLOCK_MONOTONIC seconds; None where the image did not go)."""

    __slots__ = ("image_id", "split_index", "split_after", "exit", "at_edge", "correct", "bytes_up", "arrival",
                 "start", "edge_done", "send_start", "received", "cloud_start", "cloud_done", "finish")

    def __init__(self, image_id, split_index, split_after):
        self.image_id, self.split_index, self.split_after = image_id, split_index, split_after
        self.exit, self.at_edge, self.correct, self.bytes_up = "final", False, None, 0
        self.arrival = self.start = self.edge_done = self.send_start = None
        self.received = self.cloud_start = self.cloud_done = self.finish = None

    def row(self, t0):
        """The images.csv row, times relative to `t0`."""
        def d(a, b):
            return b - a if a is not None and b is not None else 0.0

        return {"image_id": self.image_id, "device": 0, "arrival_s": self.arrival - t0, "start_s": self.start - t0,
                "finish_s": self.finish - t0, "latency_s": self.finish - self.arrival,
                "split_index": self.split_index, "split_after": self.split_after, "exit": self.exit,
                "exit_location": "edge" if self.at_edge else "cloud",
                "edge_queue_s": d(self.arrival, self.start), "edge_s": d(self.start, self.edge_done),
                "uplink_queue_s": d(self.edge_done, self.send_start), "transfer_s": d(self.send_start, self.received),
                "cloud_queue_s": d(self.received, self.cloud_start), "cloud_s": d(self.cloud_start, self.cloud_done),
                "downlink_s": d(self.cloud_done, self.finish) if not self.at_edge else 0.0,
                "bytes_up": self.bytes_up, "correct": "" if self.correct is None else int(self.correct)}


def _fmt(v):
    return repr(v) if isinstance(v, float) else str(v)


def write_images(path, records, t0):
    """Write images.csv in finishing order."""
    rows = sorted((r.row(t0) for r in records), key=lambda r: (r["finish_s"], r["image_id"]))
    with open(path, "w", newline="", encoding="utf-8") as f:
        w = csv.writer(f, lineterminator="\n")
        w.writerow(IMAGE_COLUMNS)
        for r in rows:
            w.writerow([_fmt(r[c]) for c in IMAGE_COLUMNS])


def read_images(path):
    """images.csv (ours or popex-sim's) as a list of dicts with floats where the column is numeric."""
    with open(path, newline="", encoding="utf-8") as f:
        rows = list(csv.DictReader(f))
    for r in rows:
        for k in ("arrival_s", "finish_s", "latency_s", "edge_s", "transfer_s", "uplink_queue_s", "cloud_queue_s",
                  "cloud_s", "downlink_s", "edge_queue_s"):
            r[k] = float(r[k])
    return rows


def percentile(values, p):
    """Nearest-rank percentile, as popex-sim computes it (sim/metrics/metrics_sink.cpp)."""
    v = sorted(values)
    if not v:
        return float("nan")
    rank = math.ceil(p / 100.0 * len(v))
    return v[max(rank, 1) - 1]


def summarize(rows):
    """simulate's metric columns for a list of images.csv rows."""
    lat = [r["latency_s"] for r in rows]
    n = len(lat)
    mean = sum(lat) / n
    var = sum((x - mean) ** 2 for x in lat) / (n - 1) if n > 1 else 0.0
    span = max(r["finish_s"] for r in rows) - max(0.0, min(r["arrival_s"] for r in rows))
    known = [r for r in rows if r["correct"] != ""]

    def m(key):
        return sum(r[key] for r in rows) / n

    return {"images": n, "mean_latency_s": mean, "latency_stderr_s": math.sqrt(var / n) if n > 1 else "",
            "p50_latency_s": percentile(lat, 50), "p95_latency_s": percentile(lat, 95),
            "p99_latency_s": percentile(lat, 99), "max_latency_s": max(lat),
            "throughput_ips": n / span if span > 0 else "",
            "edge_exit_fraction": sum(r["exit"] != "final" for r in rows) / n,
            "offload_fraction": sum(r["exit_location"] == "cloud" for r in rows) / n,
            "accuracy": sum(int(r["correct"]) for r in known) / len(known) if known else "",
            "mean_edge_s": m("edge_s"), "mean_uplink_queue_s": m("uplink_queue_s"),
            "mean_transfer_s": m("transfer_s"), "mean_cloud_queue_s": m("cloud_queue_s"),
            "mean_cloud_s": m("cloud_s"), "mean_downlink_s": m("downlink_s"),
            "bytes_up": sum(int(r["bytes_up"]) for r in rows)}


def write_summary(path, params, rows):
    """summary.csv: the run's parameters, then the metrics of its images."""
    cols = dict(params)
    cols.update(summarize(rows))
    tmp = path + ".tmp"
    with open(tmp, "w", newline="", encoding="utf-8") as f:
        w = csv.writer(f, lineterminator="\n")
        w.writerow(list(cols))
        w.writerow([_fmt(v) for v in cols.values()])
    os.replace(tmp, path)
