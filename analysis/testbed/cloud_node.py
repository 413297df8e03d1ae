#!/usr/bin/python3
"""The testbed's cloud: runs the layers after the split of every offloaded image and returns the result.

Started by testbed.py inside the cloud's network namespace, pinned to its own core, with one torch thread. It
builds the same network as the edge (same options, same seed), warms it up, listens, prints ``ready`` on stdout,
and serves one edge connection: a receiver thread reads each offload as soon as it arrives (so that the arrival
time is right even while an earlier image computes), and the main thread computes them one at a time (one cloud
slot, FIFO): layers s+1..N of the backbone, no branch (popex-sim's cloud), then sends the result with its
timestamps. It ends when the edge closes the connection.

  ip netns exec NS taskset -c 1 /usr/bin/python3 analysis/testbed/cloud_node.py --bind 10.77.0.2 --port 5077 \\
      --preset b-alexnet
"""
import os
import queue
import socket
import sys
import threading

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, os.path.join(HERE, "..", "profile"))

import torch  # noqa: E402

import popex_profile  # noqa: E402
import wire  # noqa: E402
from net_layout import build_network  # noqa: E402
from profile_error import ProfileError  # noqa: E402


def _receiver(conn, inbox):
    while True:
        msg = wire.recv_tensor(conn)
        inbox.put(msg)
        if msg is None:
            return


def serve(net, conn):
    """Compute every offload received on `conn` until the edge closes it."""
    inbox = queue.Queue()
    threading.Thread(target=_receiver, args=(conn, inbox), daemon=True).start()
    with torch.inference_mode():
        while True:
            msg = inbox.get()
            if msg is None:
                return
            image_id, split, x, received = msg
            started = wire.now()
            for layer in net.layers[split:]:
                x = layer(x)
            done = wire.now()
            wire.send_result(conn, image_id, received, started, done, int(x.reshape(-1).argmax()))


def main(argv=None):
    p = popex_profile.ArgumentParser(prog="cloud_node", description=__doc__.split("\n\n")[0])
    popex_profile.add_network_arguments(p)
    p.add_argument("--bind", required=True, help="address to listen on")
    p.add_argument("--port", type=int, required=True)
    p.add_argument("--warmup", type=int, default=5, help="whole-network runs before serving (default 5)")
    try:
        args = popex_profile.parse_with_preset(p, sys.argv[1:] if argv is None else argv)
        torch.set_num_threads(1)
        net = build_network(popex_profile.layout_from_args(args))
    except ProfileError as e:
        print(f"cloud_node: error: {e}", file=sys.stderr)
        return 2
    with torch.inference_mode():
        for _ in range(args.warmup):
            x = net.example
            for layer in net.layers:
                x = layer(x)
    srv = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    srv.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    srv.bind((args.bind, args.port))
    srv.listen(1)
    print("ready", flush=True)
    conn, _ = srv.accept()
    wire.tune(conn)
    serve(net, conn)
    conn.close()
    return 0


if __name__ == "__main__":
    sys.exit(main())
