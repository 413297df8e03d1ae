#!/usr/bin/python3
"""The testbed's edge device: creates the images, runs the layers up to the split and the branches there, and
offloads the rest to the cloud over one TCP connection.

Started by testbed.py inside the edge's network namespace, pinned to its own core, with one torch thread. Per image:

* its outcome is popex-sim's (outcome_sampler: the same exit stream for the same seed), so an image exits at the
  same branch as in a simulation of the scenario; with per-sample data it replays that sample's real confidences;
* the edge runs layers 1..s and the branch heads among them on a real tensor, each through the gamma emulation
  (slowdown.Slowdown: compute, then idle (gamma - 1) x that time); the image leaves at the first edge branch that
  takes it, or at the final exit when s = N;
* otherwise the output of layer s goes to a sender thread (FIFO, one tensor at a time, like popex-sim's uplink
  queue), and a collector thread receives the results.

Arrivals: closed loop (the next image when the last one is classified, as simulate's closed loop) or periodic
(image i at i / rate), up to --images images or --duration-s seconds. The split is fixed (--split) or read at each
image's start from --split-file, which testbed.py rewrites when popex-sim re-decides it live. It writes images.csv
(image_log) and ends by closing the connection.

  ip netns exec NS taskset -c 0 /usr/bin/python3 analysis/testbed/edge_node.py --connect 10.77.0.2:5077 \\
      --preset b-alexnet --dnn workloads/dnn/b-alexnet-measured-per-sample.yaml --split conv5 --images 20 \\
      --out /tmp/images.csv
"""
import os
import queue
import socket
import sys
import threading
import time

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, os.path.join(HERE, "..", "profile"))

import torch  # noqa: E402

import popex_profile  # noqa: E402
import wire  # noqa: E402
from image_log import ImageRecord, write_images  # noqa: E402
from net_layout import build_network  # noqa: E402
from outcome_sampler import OutcomeSampler  # noqa: E402
from profile_error import ProfileError  # noqa: E402
from slowdown import Slowdown, wait_until  # noqa: E402


def split_index(net, name):
    """'input' -> 0, layer name -> its 1-based index."""
    if name == "input":
        return 0
    if name not in net.layer_names:
        raise ProfileError(f"--split must be 'input' or a layer ({', '.join(net.layer_names)}) (got '{name}')")
    return net.layer_names.index(name) + 1


def parse_arrival(text):
    """'closed-loop' -> None; 'periodic:HZ' -> HZ."""
    if text == "closed-loop":
        return None
    kind, _, hz = text.partition(":")
    try:
        rate = float(hz)
    except ValueError:
        rate = 0.0
    if kind != "periodic" or not rate > 0:
        raise ProfileError(f"--arrival must be closed-loop or periodic:HZ with HZ > 0 (got '{text}')")
    return rate


class SplitSource:
    """The split of each image: fixed, or read from a file that testbed.py rewrites when it re-decides (live)."""

    def __init__(self, net, fixed=None, path=None):
        self.net, self.fixed, self.path = net, fixed, path

    def current(self):
        """(split index, split name) for the image starting now."""
        name = self.fixed
        if self.path:
            with open(self.path, encoding="utf-8") as f:
                name = f.read().strip()
        return split_index(self.net, name), name


class EdgeDevice:
    """One edge device: its network part, the emulated slowdown, the connection and the image records."""

    def __init__(self, net, splits, sampler, seed, slowdown, conn):
        self.net, self.splits, self.sampler, self.seed = net, splits, sampler, seed
        self.slowdown, self.conn = slowdown, conn
        self.records = []
        self.outbox = queue.Queue()
        self.finished = threading.Semaphore(0)
        self.pending = {}
        self.lock = threading.Lock()

    def edge_part(self, rec):
        """Run the edge's layers and branches for one image; return the tensor to offload, or None if it exits."""
        outcome = self.sampler.draw(self.seed, 0, rec.image_id)
        x = self.net.example
        for i in range(rec.split_index):
            x, _ = self.slowdown.call(self.net.layers[i], x)
            b = self.net.branch_at(i)
            if b is not None:
                self.slowdown.call(self.net.heads[b], x)
                if outcome.natural_exit == b:
                    rec.exit, rec.at_edge = self.net.branch_names[b], True
                    rec.correct = outcome.correct_at_branch if outcome.accuracy_known else None
                    return None
        rec.correct = outcome.correct_at_final if outcome.accuracy_known else None
        if rec.split_index == len(self.net.layers):
            rec.at_edge = True
            return None
        return x

    def sender(self):
        while True:
            item = self.outbox.get()
            if item is None:
                return
            rec, x = item
            rec.send_start = wire.now()
            rec.bytes_up = wire.send_tensor(self.conn, rec.image_id, rec.split_index, x)

    def collector(self):
        while True:
            msg = wire.recv_result(self.conn)
            if msg is None:
                return
            image_id, received, started, done, _ = msg
            finish = wire.now()
            with self.lock:
                rec = self.pending.pop(image_id)
            rec.received, rec.cloud_start, rec.cloud_done, rec.finish = received, started, done, finish
            self.finished.release()

    def run(self, images, rate_hz, duration_s=None):
        """Process `images` images (no new one after `duration_s`) and wait for their results; returns t0."""
        threading.Thread(target=self.sender, daemon=True).start()
        threading.Thread(target=self.collector, daemon=True).start()
        offloaded = waited = 0
        with torch.inference_mode():
            t0 = next_arrival = wire.now()
            print("start", flush=True)  # testbed.py starts its trace replay now
            for i in range(images):
                if rate_hz:
                    next_arrival = t0 + i / rate_hz
                    wait_until(next_arrival)
                if duration_s is not None and next_arrival - t0 >= duration_s:
                    break
                rec = ImageRecord(i, *self.splits.current())
                rec.arrival, rec.start = next_arrival, wire.now()
                x = self.edge_part(rec)
                rec.edge_done = wire.now()
                self.records.append(rec)
                if x is None:
                    rec.finish = next_arrival = rec.edge_done
                    continue
                with self.lock:
                    self.pending[i] = rec
                offloaded += 1
                self.outbox.put((rec, x))
                if not rate_hz:  # closed loop: the next image arrives when this one is classified
                    self.finished.acquire()
                    waited += 1
                    next_arrival = rec.finish
        self.outbox.put(None)
        for _ in range(offloaded - waited):
            self.finished.acquire()
        return t0


def main(argv=None):
    p = popex_profile.ArgumentParser(prog="edge_node", description=__doc__.split("\n\n")[0])
    popex_profile.add_network_arguments(p)
    p.add_argument("--connect", required=True, metavar="HOST:PORT")
    p.add_argument("--dnn", required=True, help="DNN YAML whose exit data decide the exits (popex-sim's sampler)")
    p.add_argument("--threshold", type=float, help="confidence threshold (default: the DNN's)")
    p.add_argument("--split", help="'input' (cloud-only) or the last layer run on the edge")
    p.add_argument("--split-file", help="read the split from this file at each image's start (live decisions)")
    p.add_argument("--images", type=int, required=True)
    p.add_argument("--duration-s", type=float, help="create no image after this many seconds")
    p.add_argument("--arrival", default="closed-loop", help="closed-loop (default) or periodic:HZ")
    p.add_argument("--seed", type=int, default=1, help="master seed of popex-sim's streams (default 1)")
    p.add_argument("--slowdown", type=float, default=1.0, help="gamma emulation by compute-then-idle (default 1)")
    p.add_argument("--warmup", type=int, default=5, help="untimed runs of the edge's part first (default 5)")
    p.add_argument("--out", required=True, help="images.csv to write")
    try:
        args = popex_profile.parse_with_preset(p, sys.argv[1:] if argv is None else argv)
        torch.set_num_threads(1)
        net = build_network(popex_profile.layout_from_args(args))
        if bool(args.split) == bool(args.split_file):
            raise ProfileError("give exactly one of --split and --split-file")
        splits = SplitSource(net, args.split, args.split_file)
        splits.current()  # checks the split's name
        rate_hz = parse_arrival(args.arrival)
        sampler = OutcomeSampler(args.dnn, args.threshold)
        if sampler.branch_names != net.branch_names:
            raise ProfileError(f"--dnn {args.dnn} has branches {sampler.branch_names}, the network "
                               f"{net.branch_names}")
    except (ProfileError, ValueError) as e:
        print(f"edge_node: error: {e}", file=sys.stderr)
        return 2
    with torch.inference_mode():  # warm-up of every layer and head, whatever split comes
        for _ in range(args.warmup):
            x = net.example
            for i, layer in enumerate(net.layers):
                x = layer(x)
                if net.branch_at(i) is not None:
                    net.heads[net.branch_at(i)](x)
    host, port = args.connect.rsplit(":", 1)
    deadline = time.monotonic() + 60
    while True:
        try:
            conn = socket.create_connection((host, int(port)))
            break
        except OSError:
            if time.monotonic() > deadline:
                raise
            time.sleep(0.1)
    wire.tune(conn)
    device = EdgeDevice(net, splits, sampler, args.seed, Slowdown(args.slowdown), conn)
    t0 = device.run(args.images, rate_hz, args.duration_s)
    conn.shutdown(socket.SHUT_WR)
    conn.close()
    write_images(args.out, device.records, t0)
    return 0


if __name__ == "__main__":
    sys.exit(main())
