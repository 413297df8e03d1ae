#!/usr/bin/python3
"""testbed: run one configuration of real split inference (edge and cloud PyTorch processes, real TCP, a real tc
shaper) and record it in popex-sim simulate's formats; optionally measure the edge's profile first.

What it sets up (all removed at the end, on error, on Ctrl-C and on SIGTERM; names carry a unique run prefix):
* two network namespaces joined by a veth pair; the edge's egress shaped by tc tbf at --uplink (netns.py); the
  downlink unshaped; traffic only between these two namespaces;
* a cgroup v1 cpu group per side (cpu_cgroup.py), holding its processes; the edge's is capped with
  --gamma-method cgroup;
* the cloud (cloud_node.py) on --cloud-core and the edge (edge_node.py) on --edge-core, one torch thread each;
* a SCHED_IDLE spinner on each of the two cores (keep_awake.py), so that a waiting core never halts: on this KVM
  guest, with other load, a computation after a pause is up to 30% slower otherwise (--no-keep-awake: none).

Gamma: ``--gamma-method idle`` (default) makes every edge layer compute, then idle (gamma - 1) x its compute time
(analysis/profile/slowdown.py); ``cgroup`` caps the edge's group to 1/gamma of its core. ``--edge-profile-out``
first measures the edge's per-layer times with the profiler (popex_profile.py --edge-profile-out) on the edge's
core, in its cgroup, under the same emulation: popex-sim then gets measured edge times, not an assumed gamma.

Traces: --uplink-trace replays a SimGrid rate profile with tc qdisc change at each step, from the first image on;
--split oracle makes popex-sim's own decision code (solve, its Dijkstra) pick the split at the start and at every
step, from the true rate, the measured edge profile and the measured per-offload costs (decisions.csv).

Outputs in --out: images.csv and summary.csv (image_log.py; simulate's columns where they apply), testbed.yaml (the
exact setting), decisions.csv with --split oracle. Examples, from the repository root, as root:

  # B-AlexNet split after conv5, gamma 10, 3G, 20 images, closed loop:
  /usr/bin/python3 analysis/testbed/testbed.py --preset b-alexnet \\
      --dnn workloads/dnn/b-alexnet-measured-per-sample.yaml --split conv5 --gamma 10 --uplink 1.1Mbps \\
      --images 20 --out /tmp/tb
  # POPEX live on a real uplink trace: popex-sim solve re-decides the split at every rate step
  /usr/bin/python3 analysis/testbed/testbed.py --preset b-alexnet \
      --dnn workloads/dnn/b-alexnet-measured-per-sample.yaml --split oracle --gamma 10 \
      --uplink-trace platforms/traces/verizon-lte-short.profile --duration-s 60 --images 100000 \
      --edge-profile-out /tmp/tb-live/edge.yaml --protocol-overhead 1.0456 --out /tmp/tb-live
  # the edge profile alone (no images):
  /usr/bin/python3 analysis/testbed/testbed.py --preset b-alexnet --dnn workloads/dnn/b-alexnet-measured.yaml \\
      --gamma 10 --images 0 --edge-profile-out /tmp/edge-g10.yaml
  # remove what killed runs left behind (all of them, or one run's: the 6 hex digits in its names):
  /usr/bin/python3 analysis/testbed/testbed.py --cleanup
  /usr/bin/python3 analysis/testbed/testbed.py --cleanup 3fa9c1
"""
import os
import re
import secrets
import signal
import subprocess
import sys
import threading
import time

HERE = os.path.dirname(os.path.abspath(__file__))
PROFILE_DIR = os.path.join(HERE, "..", "profile")
sys.path.insert(0, PROFILE_DIR)

import cpu_cgroup  # noqa: E402
import image_log  # noqa: E402
import keep_awake  # noqa: E402
import netns  # noqa: E402
import popex_profile  # noqa: E402
import provenance  # noqa: E402
import sim_runner  # noqa: E402
from profile_error import ProfileError  # noqa: E402

PROG = "testbed"
PORT = 5077
PYTHON = "/usr/bin/python3"
NAMED_RATES = {"3g": 1.1e6, "4g": 5.5e6, "wifi": 18.8e6}


class Interrupted(Exception):
    """SIGINT or SIGTERM arrived: stop, then clean up."""


def stop_on_signals():
    """Make SIGINT and SIGTERM raise Interrupted (once), so that `with Testbed(...)` cleans up."""
    def interrupt(signum, _frame):
        for s in (signal.SIGINT, signal.SIGTERM):  # one signal is enough: the clean-up must not be interrupted
            signal.signal(s, signal.SIG_IGN)
        raise Interrupted(signal.Signals(signum).name)

    signal.signal(signal.SIGINT, interrupt)
    signal.signal(signal.SIGTERM, interrupt)


def parse_rate(text):
    """'1.1Mbps' (bit/s), '2MBps' (bytes/s), '3g', or a plain number of bit/s -> bit/s."""
    t = text.strip()
    if t.lower() in NAMED_RATES:
        return NAMED_RATES[t.lower()]
    m = re.fullmatch(r"([0-9.]+(?:[eE][-+]?[0-9]+)?)\s*([kKmMgG]?)(bps|Bps)?", t)
    if not m:
        raise ProfileError(f"--uplink must be a rate such as 1.1Mbps, 700kbps, 2MBps or 3g/4g/wifi (got '{text}')")
    scale = {"": 1, "k": 1e3, "m": 1e6, "g": 1e9}[m.group(2).lower()]
    value = float(m.group(1)) * scale * (8 if m.group(3) == "Bps" else 1)
    if not value > 0:
        raise ProfileError(f"--uplink must be > 0 (got '{text}')")
    return value


def read_trace(path):
    """A SimGrid profile ('DATE VALUE' lines, VALUE in bytes/s) -> [(seconds, bit/s)]."""
    steps = []
    with open(path, encoding="utf-8") as f:
        for line in f:
            s = line.strip()
            if not s or s[0] in "#%" or s.split()[0] in ("LOOPAFTER", "PERIODICITY"):
                continue
            date, value = s.split()[:2]
            steps.append((float(date), float(value) * 8))
    if not steps or steps[0][0] != 0:
        raise ProfileError(f"--uplink-trace {path}: must be a SimGrid profile starting at date 0")
    return steps


class Testbed:
    """One run's namespaces, shaper, cgroups and processes; a context manager that always cleans up."""

    def __init__(self, args):
        self.args = args
        self.run_id = secrets.token_hex(3)
        self.net = netns.TestbedNetwork(self.run_id)
        # cgroups hold each side's processes when the cgroup v1 cpu controller exists (required for the cgroup
        # gamma method); without it, the namespaces alone find what a killed run left.
        self.cgroups = {side: cpu_cgroup.CpuCgroup(f"{cpu_cgroup.PREFIX}{self.run_id}-{side}")
                        for side in ("edge", "cloud")} if cpu_cgroup.available() else {}
        self.cores = {"edge": args.edge_core, "cloud": args.cloud_core}
        self.awake = keep_awake.KeepAwake(self.cores.values(), f"{cpu_cgroup.PREFIX}{self.run_id}-awake",
                                          self.run_id) \
            if getattr(args, "keep_awake", True) else None
        self.procs = []

    def __enter__(self):
        try:
            self.net.setup()
            self.net.shape(self.args.uplink_bps)
            if self.cgroups:
                self.cgroups["edge"].create(self.args.gamma if self.args.gamma_method == "cgroup" else None)
                self.cgroups["cloud"].create()
            if self.awake:
                self.awake.start()
        except BaseException:
            self.__exit__()
            raise
        return self

    def __exit__(self, *exc):
        """Kill the processes, remove the cgroups and the namespaces; signals wait until this is done."""
        old = {s: signal.signal(s, signal.SIG_IGN) for s in (signal.SIGINT, signal.SIGTERM)}
        try:
            for p in self.procs:
                if p.poll() is None:
                    p.kill()
                p.wait()
            if self.awake:
                self.awake.stop()
            for g in self.cgroups.values():
                g.remove()
            self.net.teardown()
        finally:
            for s, h in old.items():
                signal.signal(s, h)
        return False

    def spawn(self, side, cmd, in_netns=True, **kw):
        """Start `cmd` on `side`'s core and in its cgroup (and network namespace)."""
        core, group = self.cores[side], self.cgroups.get(side)

        def enter():
            os.sched_setaffinity(0, {core})
            if group:
                group.join_self()

        full = (self.net.exec_prefix(side) if in_netns else []) + cmd
        p = subprocess.Popen(full, preexec_fn=enter, start_new_session=True, **kw)
        self.procs.append(p)
        return p

    def wait(self, p, what):
        try:
            rc = p.wait(timeout=self.args.timeout)
        except subprocess.TimeoutExpired:
            raise ProfileError(f"{what} did not finish within --timeout {self.args.timeout:g} s") from None
        if rc != 0:
            raise RuntimeError(f"{what} failed with exit code {rc}")

    def profile_edge(self, network_args):
        """Measure the edge profile with the profiler, on the edge's core, in its cgroup, under its emulation."""
        a = self.args
        slowdown = a.gamma if a.gamma_method == "idle" else 1.0
        cmd = [PYTHON, os.path.join(PROFILE_DIR, "popex_profile.py")] + network_args + [
            "--threads", "1", "--runs", str(a.profile_runs), "--warmup", str(a.profile_warmup),
            "--time-statistic", a.profile_statistic,
            "--slowdown", repr(slowdown), "--name", a.dnn_name, "--edge-profile-out", a.edge_profile_out,
            "--device", f"testbed edge: {provenance.cpu_model().replace(',', ' ')} core {a.edge_core} gamma "
                        f"{a.gamma:g} by {a.gamma_method}"]
        self.wait(self.spawn("edge", cmd, in_netns=False), "the edge profiler")

    def run_images(self, network_args):
        """Start the cloud, then the edge; replay the trace and re-decide meanwhile; return when the edge is done."""
        a = self.args
        cloud = self.spawn("cloud", [PYTHON, os.path.join(HERE, "cloud_node.py"), "--bind", netns.CLOUD_IP,
                                     "--port", str(PORT)] + network_args, stdout=subprocess.PIPE, text=True)
        line = cloud.stdout.readline().strip()
        if line != "ready":
            raise RuntimeError(f"the cloud did not start (said '{line}', exit code {cloud.poll()})")
        if a.split == "oracle":
            self.decisions = []
            self._decide(0.0, a.uplink_bps)
            split = ["--split-file", self.split_file]
        else:
            split = ["--split", a.split]
        edge = self.spawn("edge", [PYTHON, os.path.join(HERE, "edge_node.py"), "--connect",
                                   f"{netns.CLOUD_IP}:{PORT}", "--dnn", a.dnn, "--images", str(a.images),
                                   "--arrival", a.arrival, "--seed", str(a.seed), "--slowdown",
                                   repr(a.gamma if a.gamma_method == "idle" else 1.0),
                                   "--out", os.path.join(a.out, "images.csv")] + split
                          + (["--duration-s", repr(a.duration_s)] if a.duration_s else [])
                          + (["--threshold", repr(a.threshold)] if a.threshold is not None else []) + network_args,
                          stdout=subprocess.PIPE, text=True)
        line = edge.stdout.readline().strip()  # the edge says "start" at its first image: the trace's t = 0
        stop = threading.Event()
        if line == "start" and a.trace_steps:
            threading.Thread(target=self._replay, args=(a.trace_steps, stop), daemon=True).start()
        try:
            self.wait(edge, "the edge")
            self.wait(cloud, "the cloud")
        finally:
            stop.set()

    @property
    def split_file(self):
        return os.path.join(self.args.out, "split.txt")

    def _decide(self, t, rate_bps):
        """POPEX's split for the true rate (popex-sim solve, its Dijkstra), published to the edge."""
        a = self.args
        split, expected = sim_runner.popex_split(a.popex_sim, a.dnn, a.decide_profile, rate_bps, a.threshold_used,
                                                 a.costs)
        with open(self.split_file + ".tmp", "w", encoding="utf-8") as f:
            f.write(split + "\n")
        os.replace(self.split_file + ".tmp", self.split_file)
        self.decisions.append((t, rate_bps, split, expected))

    def _replay(self, steps, stop):
        """Apply each step of the rate trace at its time (tc qdisc change) and re-decide if live, until `stop`."""
        t0 = time.monotonic()
        for date, bps in steps:
            if stop.wait(max(0.0, t0 + date - time.monotonic())):
                return
            self.net.set_rate(max(bps, 8000.0))
            if self.args.split == "oracle" and date > 0:
                self._decide(time.monotonic() - t0, bps)

    def write_decisions(self):
        """decisions.csv of a live run: when, the true rate, the split published, its E[T]."""
        with open(os.path.join(self.args.out, "decisions.csv"), "w", encoding="utf-8") as f:
            f.write("time_s,true_rate_bps,split_after,expected_time_s\n")
            for t, rate, split, expected in self.decisions:
                f.write(f"{t!r},{rate!r},{split},{expected!r}\n")


def build_parser():
    p = popex_profile.ArgumentParser(prog=PROG, description=__doc__,
                                     formatter_class=popex_profile.argparse.RawDescriptionHelpFormatter)
    popex_profile.add_network_arguments(p)
    r = p.add_argument_group("run")
    r.add_argument("--dnn", help="the DNN YAML of this network (its exit data decide the exits; its name names "
                                 "the edge profile)")
    r.add_argument("--split", default="input",
                   help="'input' (cloud-only), the last layer run on the edge, or 'oracle': POPEX's split from "
                        "popex-sim solve at the start and at every step of --uplink-trace (the true rate)")
    r.add_argument("--threshold", type=float, help="confidence threshold (default: the DNN's)")
    r.add_argument("--uplink", default="3g", help="uplink rate: 1.1Mbps, 5.5Mbps, 18.8Mbps, 3g, 4g, wifi (default 3g)")
    r.add_argument("--uplink-trace", metavar="PROFILE",
                   help="replay a SimGrid rate profile (DATE VALUE in bytes/s; replaces --uplink) with tc qdisc "
                        "change, from the first image on")
    r.add_argument("--duration-s", type=float, help="create no image after this many seconds")
    d = p.add_argument_group("live decisions (--split oracle)")
    d.add_argument("--popex-sim", default=os.path.join(HERE, "..", "..", "build", "release", "popex-sim"),
                   help="the popex-sim binary that decides (default build/release/popex-sim)")
    d.add_argument("--decide-edge-profile", metavar="FILE",
                   help="the edge profile popex-sim decides with (default: --edge-profile-out of this run)")
    d.add_argument("--protocol-overhead", type=float, default=1.0, help="as popex-sim's (default 1)")
    d.add_argument("--offload-overhead-ms", type=float, default=0.0, help="as popex-sim's (default 0)")
    r.add_argument("--gamma", type=float, default=1.0, help="edge slowdown factor (default 1)")
    r.add_argument("--gamma-method", choices=("idle", "cgroup"), default="idle",
                   help="compute-then-idle (default) or a cgroup v1 cpu quota")
    r.add_argument("--images", type=int, default=20, help="images (0: only --edge-profile-out; default 20)")
    r.add_argument("--arrival", default="closed-loop", help="closed-loop (default) or periodic:HZ")
    r.add_argument("--seed", type=int, default=1, help="master seed of popex-sim's streams (default 1)")
    r.add_argument("--edge-profile-out", metavar="FILE", help="first measure the edge profile into FILE")
    r.add_argument("--profile-runs", type=int, default=30, help="timed runs of the edge profile (default 30)")
    r.add_argument("--profile-warmup", type=int, default=3, help="warm-up runs of the edge profile (default 3)")
    r.add_argument("--profile-statistic", choices=("median", "mean"), default="median",
                   help="edge profile: the time written per layer (popex_profile.py --time-statistic; default median)")
    r.add_argument("--edge-core", type=int, default=0, help="CPU of the edge (default 0)")
    r.add_argument("--cloud-core", type=int, default=1, help="CPU of the cloud (default 1)")
    r.add_argument("--no-keep-awake", dest="keep_awake", action="store_false",
                   help="let the cores halt when idle (by default a SCHED_IDLE spinner per core keeps them awake, "
                        "as idle=poll would: keep_awake.py says why)")
    r.add_argument("--timeout", type=float, default=3600, help="seconds before a process is given up (default 3600)")
    r.add_argument("--out", help="output directory (images.csv, summary.csv, testbed.yaml)")
    r.add_argument("--label", default="", help="free text copied to summary.csv's policy column")
    p.add_argument("--cleanup", nargs="?", const="all", metavar="RUN_ID",
                   help="remove every testbed namespace, link, cgroup and process left by killed runs (or only run "
                        "RUN_ID's: the 6 hex digits in its names), then exit")
    return p


def check(args):
    if os.geteuid() != 0:
        raise ProfileError("must run as root (network namespaces, tc, cgroups)")
    if args.gamma_method == "cgroup" and not cpu_cgroup.available():
        raise ProfileError(f"--gamma-method cgroup needs the cgroup v1 cpu controller at {cpu_cgroup.ROOT}")
    if not args.dnn:
        raise ProfileError("--dnn is required")
    if args.images < 0 or (args.images == 0 and not args.edge_profile_out):
        raise ProfileError("--images must be >= 1, or 0 with --edge-profile-out")
    if args.images and not args.out:
        raise ProfileError("--out is required to run images")
    if not args.gamma >= 1:
        raise ProfileError(f"--gamma must be >= 1: the testbed can only slow the edge down (got {args.gamma})")
    n = os.cpu_count()
    if not (0 <= args.edge_core < n and 0 <= args.cloud_core < n) or args.edge_core == args.cloud_core:
        raise ProfileError(f"--edge-core and --cloud-core must be two different CPUs among 0..{n - 1}")
    args.trace_steps = read_trace(args.uplink_trace) if args.uplink_trace else []
    args.uplink_bps = args.trace_steps[0][1] if args.trace_steps else parse_rate(args.uplink)
    import yaml

    with open(args.dnn, encoding="utf-8") as f:
        doc = yaml.safe_load(f)
    args.dnn_name = doc["name"]
    args.threshold_used = args.threshold if args.threshold is not None else doc.get("default_threshold", 1.0)
    if args.split == "oracle":
        args.decide_profile = args.decide_edge_profile or args.edge_profile_out
        if not args.decide_profile:
            raise ProfileError("--split oracle needs --decide-edge-profile or --edge-profile-out")
        args.costs = {"protocol_overhead": args.protocol_overhead, "offload_overhead_ms": args.offload_overhead_ms}


def write_setting(args, run_id, other_cores):
    with open(os.path.join(args.out, "testbed.yaml"), "w", encoding="utf-8") as f:
        f.write(f"# testbed run {run_id}: {provenance.command_line()}\n")
        for line in provenance.host_lines():
            f.write(f"# {line}\n")
        for key in ("dnn", "split", "threshold", "uplink_bps", "uplink_trace", "gamma", "gamma_method", "images",
                    "arrival", "seed", "edge_core", "cloud_core", "keep_awake"):
            f.write(f"{key}: {getattr(args, key)}\n")
        f.write(f"tbf_burst_bytes: {netns.BURST_BYTES}\ntbf_limit_bytes: {netns.LIMIT_BYTES}\n")
        f.write(f"other_load_cores: {other_cores:.3f}\n")


def run(argv):
    args = popex_profile.parse_with_preset(build_parser(), argv)
    if args.cleanup:
        rid = "" if args.cleanup == "all" else args.cleanup
        if rid and not re.fullmatch(r"[0-9a-f]{6}", rid):
            raise ProfileError(f"--cleanup takes a run id of 6 hex digits, as in the names it left (got '{rid}')")
        removed = netns.cleanup_stale(rid) + cpu_cgroup.cleanup_stale(rid) + keep_awake.cleanup_stale(rid)
        print(f"{PROG}: removed {', '.join(removed) if removed else 'nothing'}", file=sys.stderr)
        return
    check(args)
    net_args = popex_profile.network_argv(args)
    if args.out:
        os.makedirs(args.out, exist_ok=True)

    stop_on_signals()
    monitor = provenance.LoadMonitor().start()
    with Testbed(args) as tb:
        if args.edge_profile_out:
            tb.profile_edge(net_args)
        if args.images:
            tb.run_images(net_args)
            if args.split == "oracle":
                tb.write_decisions()
    other = monitor.stop()
    if args.images:
        rows = image_log.read_images(os.path.join(args.out, "images.csv"))
        policy = "oracle" if args.split == "oracle" else f"fixed:{args.split}"
        params = {"testbed": tb.run_id, "dnn": args.dnn_name, "policy": args.label or policy,
                  "split_after": args.split, "gamma": args.gamma, "gamma_method": args.gamma_method,
                  "uplink_bps": args.uplink_bps, "uplink_trace": args.uplink_trace or "", "latency_ms": 0,
                  "threshold": args.threshold if args.threshold is not None else "", "seed": args.seed,
                  "arrival": args.arrival, "keep_awake": int(args.keep_awake), "other_load_cores": round(other, 3)}
        image_log.write_summary(os.path.join(args.out, "summary.csv"), params, rows)
        write_setting(args, tb.run_id, other)


def exit_code_of(prog, action, bad_input=(ProfileError,)):
    """Runs action() and maps what ends it to the testbed's exit codes, with one line on stderr: 2 bad input,
    130 interrupted (everything already cleaned up), 1 a failed run, 0 success."""
    try:
        action()
    except bad_input as e:
        print(f"{prog}: error: {e}", file=sys.stderr)
        return 2
    except Interrupted as e:
        print(f"{prog}: interrupted by {e}; cleaned up", file=sys.stderr)
        return 130
    except RuntimeError as e:
        print(f"{prog}: failed: {e}; cleaned up", file=sys.stderr)
        return 1
    return 0


def main(argv=None):
    return exit_code_of(PROG, lambda: run(sys.argv[1:] if argv is None else argv))


if __name__ == "__main__":
    sys.exit(main())
