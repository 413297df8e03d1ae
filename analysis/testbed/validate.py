#!/usr/bin/python3
"""validate: popex-sim's predictions against the live testbed, configuration by configuration.

Steps (each one's output stays in --out, so every number can be traced):

1. ``calibration/``: calibrate.py measures the per-offload costs (protocol_overhead, offload_overhead_ms) at rates
   the validation does not use.
2. ``workload/``: the profiler measures B-AlexNet (papers' grouping) on the cloud's core, one thread; its exits are
   the per-sample data of workloads/dnn/b-alexnet-per-sample.yaml, so that simulator and testbed replay the same
   images.
3. ``edge/gamma-G.yaml``: for each gamma, the testbed measures the edge profile under its gamma emulation.
4. For each configuration: POPEX's split from ``popex-sim solve`` (with the measured profile and costs), a testbed
   run (``runs/<config>/testbed``) and its popex-sim twin (``runs/<config>/sim``: same images, seed, rate, split,
   arrivals, with the measured edge profile at gamma 1 and the measured costs).
5. ``validation.csv`` (config, images, measured and simulated mean and p95, their relative errors),
   ``validation_details.csv`` (parameters, 95% CIs, per-part means, machine load) and ``validation.{png,pdf}``.

Configurations: rates 1.1, 5.5, 18.8 Mbit/s x gamma 1, 10 x {POPEX's split, a fixed split: conv1, or conv5 where
POPEX picks conv1} in closed loop; cloud-only per rate (gamma plays no part in it: no edge work); POPEX's split at
gamma 10 with periodic arrivals at 80% of the busiest resource per rate; and on a square-wave trace (18.8 <-> 1.1 Mbit/s every 30 s, 120 s, tc qdisc change at
each step) POPEX static (decided at t = 0) against POPEX re-deciding live with popex-sim solve at every rate change
(simulated by popex-sim's oracle policy). 100 images each, 40 for cloud-only at 1.1 Mbit/s (4.6 s per image).
--quick: 20 images (5 for cloud-only at 1.1), fewer profile runs, no periodic set, a 40-s trace. It waits for an
idle machine before every measurement (30 s without a compiler and with other processes under 0.15 cores; 10 s
before each configuration), for at most --max-wait seconds each time, and measures a configuration again (up to
--attempts times) while other processes used more than 0.25 cores meanwhile; validation_details.csv records that
load for every configuration. The testbed keeps both cores awake (keep_awake.py), and the profiles give popex-sim
mean layer times (popex_profile.py --time-statistic mean): docs/validation.md says why.

As root, from the repository root (about 40 minutes; --quick about 10):

  /usr/bin/python3 analysis/testbed/validate.py --out results/validation
"""
import argparse
import csv
import math
import os
import secrets
import signal
import subprocess
import sys
import time
from dataclasses import dataclass

HERE = os.path.dirname(os.path.abspath(__file__))
REPO = os.path.normpath(os.path.join(HERE, "..", ".."))
sys.path.insert(0, os.path.join(HERE, "..", "profile"))

import cpu_cgroup  # noqa: E402
import image_log  # noqa: E402
import keep_awake  # noqa: E402
import provenance  # noqa: E402
import sim_runner  # noqa: E402
from profile_error import ArgumentParser, ProfileError  # noqa: E402

PROG = "validate"
PYTHON = "/usr/bin/python3"
PLATFORM = os.path.join(REPO, "platforms", "edge-cloud.xml")
EXITS = os.path.join(REPO, "workloads", "dnn", "b-alexnet-per-sample.yaml")
COLUMNS = ["config", "images", "measured_mean_s", "simulated_mean_s", "rel_error", "measured_p95_s",
           "simulated_p95_s", "p95_rel_error"]
MAX_OTHER_LOAD = 0.25


@dataclass
class Config:
    """One validated configuration."""

    name: str
    gamma: float
    rate_bps: float
    policy: str  # popex, fixed, cloud-only
    split: str  # the layer name, or input
    images: int
    arrival_hz: float = None
    trace: str = None  # a rate profile replayed from the first image on (then images is a cap)
    duration_s: float = None


def log(msg):
    print(f"{PROG}: {msg}", file=sys.stderr, flush=True)


def run(cmd, what):
    """Run a step in its own session; on Ctrl-C or SIGTERM, pass one SIGTERM on and let it clean up first."""
    log(what)
    p = subprocess.Popen(cmd, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, start_new_session=True)
    try:
        out, err = p.communicate()
    except BaseException:
        p.send_signal(signal.SIGTERM)
        p.wait()
        raise
    if p.returncode != 0:
        raise RuntimeError(f"{what} failed (exit {p.returncode}): {err.strip()[-2000:]}")
    return out


def wait_idle(quiet_s, max_wait_s):
    """Wait for `quiet_s` seconds of an idle machine (no compiler, other processes < 0.15 cores), at most
    `max_wait_s` seconds; returns False when the machine did not become idle in time."""
    if quiet_s <= 0:
        return True
    waited = provenance.wait_until_idle(quiet_s, log=log, max_wait_s=max_wait_s)
    if waited >= max_wait_s:
        log(f"the machine was not idle for {quiet_s:g} s within --max-wait {max_wait_s:g} s: measuring anyway "
            f"(the load is recorded)")
        return False
    return True


def profile_load(path):
    """The cores other processes used while the profiler measured `path` (from its header)."""
    with open(path, encoding="utf-8") as f:
        for line in f:
            if line.startswith("# Other processes used "):
                return float(line.split()[4])
    return 0.0  # times copied from another file: that file's measurement says


def read_params(path):
    """The `key: value` lines of calibration.yaml."""
    out = {}
    with open(path, encoding="utf-8") as f:
        for line in f:
            if line.strip() and not line.startswith("#"):
                k, v = line.split(":", 1)
                out[k.strip()] = float(v)
    return out


def mean_ci(values):
    """Mean and its 95% confidence half-width (normal approximation; images are i.i.d. in closed loop)."""
    n = len(values)
    m = sum(values) / n
    sd = math.sqrt(sum((v - m) ** 2 for v in values) / (n - 1)) if n > 1 else 0.0
    return m, 1.96 * sd / math.sqrt(n)


def p95_ci(values):
    """Nearest-rank p95 and a distribution-free 95% interval from the binomial order statistics."""
    v = sorted(values)
    n = len(v)
    half = 1.96 * math.sqrt(n * 0.95 * 0.05)
    lo, hi = max(0, math.floor(n * 0.95 - half) - 1), min(n - 1, math.ceil(n * 0.95 + half) - 1)
    return image_log.percentile(v, 95), v[lo], v[hi]


class Validation:
    """The whole procedure, writing into args.out."""

    def __init__(self, args):
        self.args = args
        self.out = os.path.abspath(args.out)
        self.binary = os.path.abspath(args.popex_sim)
        self.quick = args.quick
        self.costs = {}

    def path(self, *parts):
        """A file path in the output, its directory created."""
        p = os.path.join(self.out, *parts)
        os.makedirs(os.path.dirname(p), exist_ok=True)
        return p

    def folder(self, *parts):
        """A directory in the output, created."""
        p = os.path.join(self.out, *parts)
        os.makedirs(p, exist_ok=True)
        return p

    def measure(self, what, action, load, quiet_s):
        """Run `action(label)` after `quiet_s` s of an idle machine; again (after the full wait) while `load()`, the
        cores other processes used meanwhile, exceeds MAX_OTHER_LOAD, up to --attempts times."""
        for attempt in range(1, self.args.attempts + 1):
            idle = wait_idle(quiet_s if attempt == 1 else self.args.wait_idle, self.args.max_wait)
            action(f"{what} (attempt {attempt})")
            used = load()
            if used <= MAX_OTHER_LOAD:
                return
            again = idle and attempt < self.args.attempts  # a busy machine that stays busy: keep what we have
            log(f"{what}: other processes used {used:.2f} cores meanwhile"
                + ("; measuring again" if again else "; kept, with its load recorded"))
            if not again:
                return

    def calibrate(self):
        done = self.path("calibration", "calibration.yaml")
        if not (self.args.resume and os.path.exists(done)):
            self.measure("calibration (per-offload costs)",
                         lambda what: run([PYTHON, os.path.join(HERE, "calibrate.py"), "--out", os.path.dirname(done)]
                                          + (["--reps", "3"] if self.quick else []), what),
                         lambda: read_params(done)["other_load_cores"], self.args.wait_idle)
        cal = read_params(done)
        self.costs = {"protocol_overhead": round(cal["protocol_overhead"], 5),
                      "offload_overhead_ms": round(cal["offload_overhead_ms"], 4)}
        log(f"measured costs: {self.costs}")

    def profile_workload(self):
        self.dnn = self.path("workload", "b-alexnet-measured-per-sample.yaml")
        if self.args.resume and os.path.exists(self.dnn):
            return
        cmd = ["taskset", "-c", str(self.args.cloud_core), PYTHON, os.path.join(REPO, "analysis", "profile",
               "popex_profile.py"), "--preset", "b-alexnet", "--threads", "1", "--runs", "50" if self.quick else "200",
               "--warmup", "10", "--time-statistic", "mean", "--exits-from", EXITS, "--out", self.dnn]
        self.measure("profiling the workload on the cloud core", lambda what: self.with_spinners(run, cmd, what),
                     lambda: profile_load(self.dnn), self.args.wait_idle)

    def with_spinners(self, fn, *args):
        """fn(*args) with the testbed's keep-awake spinners on both cores, so that the workload is profiled under the
        conditions of the testbed runs, as the edge profile is (a spinner slows the other core by 2-6% here)."""
        if not self.args.keep_awake:
            return fn(*args)
        run_id = secrets.token_hex(3)
        awake = keep_awake.KeepAwake([self.args.edge_core, self.args.cloud_core],
                                     f"{cpu_cgroup.PREFIX}{run_id}-awake", run_id).start()
        try:
            return fn(*args)
        finally:
            awake.stop()

    def testbed(self, extra, what):
        awake = [] if self.args.keep_awake else ["--no-keep-awake"]
        return run([PYTHON, os.path.join(HERE, "testbed.py"), "--preset", "b-alexnet", "--dnn", self.dnn,
                    "--gamma-method", self.args.gamma_method, "--edge-core", str(self.args.edge_core),
                    "--cloud-core", str(self.args.cloud_core)] + awake + extra, what)

    def edge_profile(self, gamma):
        path = self.path("edge", f"gamma-{gamma:g}.yaml")
        if not (self.args.resume and os.path.exists(path)):
            runs = "10" if self.quick else ("50" if gamma > 1 else "200")
            self.measure(f"measuring the edge profile at gamma {gamma:g}",
                         lambda what: self.testbed(["--gamma", repr(gamma), "--images", "0", "--edge-profile-out",
                                                    path, "--profile-runs", runs, "--profile-statistic", "mean"],
                                                   what),
                         lambda: profile_load(path), self.args.wait_idle)
        return path

    def configs(self):
        """The configuration list, with POPEX's splits from solve."""
        n = 20 if self.quick else self.args.images
        slow = 5 if self.quick else self.args.slow_images
        out = []
        for rate in self.args.rates:
            tag = f"{rate / 1e6:g}Mbps"
            for gamma in self.args.gammas:
                split, _ = sim_runner.popex_split(self.binary, self.dnn, self.edge[gamma], rate, self.args.threshold,
                                                  self.costs)
                out.append(Config(f"g{gamma:g}_{tag}_popex-{split}", gamma, rate, "popex", split, n))
                fixed = "conv5" if split == "conv1" else "conv1"  # a second split, never POPEX's own again
                out.append(Config(f"g{gamma:g}_{tag}_fixed-{fixed}", gamma, rate, "fixed", fixed, n))
            out.append(Config(f"any-gamma_{tag}_cloud-only", 1.0, rate, "cloud-only", "input",
                              slow if rate < 2e6 else n))
        return out

    def periodic(self, closed):
        """POPEX at the largest gamma, periodic at 80% of the busiest resource of its simulated closed loop."""
        out = []
        g = max(self.args.gammas)
        for c in closed:
            if c.policy != "popex" or c.gamma != g:
                continue
            rows = image_log.read_images(os.path.join(self.out, "runs", c.name, "sim", "images.csv"))
            busiest = max(sum(r[k] for r in rows) / len(rows) for k in ("edge_s", "transfer_s", "cloud_s"))
            hz = round(0.8 / busiest, 3)
            out.append(Config(c.name + f"_periodic-{hz:g}Hz", c.gamma, c.rate_bps, "popex", c.split, c.images, hz))
        return out

    def trace_configs(self):
        """A square wave, 18.8 <-> 1.1 Mbit/s every 30 s for 120 s, at the largest gamma: POPEX static (decided
        at t = 0) against POPEX re-deciding live at every rate change (popex-sim's oracle policy)."""
        path = self.path("trace", "square-wave.profile")
        with open(path, "w", encoding="utf-8") as f:
            f.write("# Uplink rate, bytes/s: 18.8 Mbit/s, 1.1 Mbit/s, 30 s each, twice (validate.py)\n")
            for k in range(4):
                f.write(f"{30 * k} {(18.8e6 if k % 2 == 0 else 1.1e6) / 8:.0f}\n")
        g = max(self.args.gammas)
        split, _ = sim_runner.popex_split(self.binary, self.dnn, self.edge[g], 18.8e6, self.args.threshold,
                                          self.costs)
        duration = 40.0 if self.quick else 120.0
        return [Config(f"g{g:g}_square-wave_static-{split}", g, 18.8e6, "static", split, 100000, None, path,
                       duration),
                Config(f"g{g:g}_square-wave_oracle-live", g, 18.8e6, "oracle", "oracle", 100000, None, path,
                       duration)]

    def run_config(self, c):
        """Testbed run and simulation of one configuration; returns (measured rows, simulated rows, load)."""
        tb_dir, sim_dir = self.folder("runs", c.name, "testbed"), self.folder("runs", c.name, "sim")
        arrival = "closed-loop" if c.arrival_hz is None else f"periodic:{c.arrival_hz!r}"
        if not (self.args.resume and os.path.exists(os.path.join(tb_dir, "summary.csv"))):
            extra = []
            if c.trace:
                extra = ["--uplink-trace", c.trace, "--duration-s", repr(c.duration_s)]
            if c.split == "oracle":
                extra += ["--decide-edge-profile", self.edge[c.gamma], "--popex-sim", self.binary] + \
                         [f"--{k.replace('_', '-')}={v!r}" for k, v in self.costs.items()]
            cmd = ["--split", c.split, "--gamma", repr(c.gamma), "--uplink", f"{c.rate_bps:.0f}", "--images",
                   str(c.images), "--arrival", arrival, "--seed", str(self.args.seed), "--threshold",
                   repr(self.args.threshold), "--label", c.policy, "--out", tb_dir] + extra
            size = f"{c.duration_s:g} s" if c.trace else f"{c.images} images"
            self.measure(f"testbed: {c.name} ({size})", lambda what: self.testbed(cmd, what),
                         lambda: float(_summary(os.path.join(tb_dir, "summary.csv"))["other_load_cores"]),
                         min(10.0, self.args.wait_idle))
        policy = c.policy if c.policy in ("cloud-only", "static", "oracle") else f"fixed:{c.split}"
        scenario = os.path.join(self.out, "runs", c.name, "scenario.yaml")
        with open(scenario, "w", encoding="utf-8") as f:
            f.write(sim_runner.scenario_yaml(self.dnn, self.edge[c.gamma], PLATFORM, c.rate_bps,
                                             self.args.threshold, policy, c.arrival_hz, c.images, self.args.seed,
                                             self.costs, c.trace, c.duration_s))
        sim_runner.simulate(self.binary, scenario, sim_dir)
        measured = image_log.read_images(os.path.join(tb_dir, "images.csv"))
        simulated = image_log.read_images(os.path.join(sim_dir, "images.csv"))
        return measured, simulated, float(_summary(os.path.join(tb_dir, "summary.csv"))["other_load_cores"])

    def execute(self):
        wait_idle(self.args.wait_idle, self.args.max_wait)
        self.calibrate()
        self.profile_workload()
        self.edge = {g: self.edge_profile(g) for g in self.args.gammas}
        self.edge[1.0] = self.edge.get(1.0) or self.edge_profile(1.0)
        closed = self.configs()
        results = []
        for c in closed:
            results.append((c,) + self.run_config(c))
        extra = ([] if self.quick or self.args.no_periodic else self.periodic(closed)) + ([] if self.args.no_trace else self.trace_configs())
        for c in extra:
            results.append((c,) + self.run_config(c))
        self.write(results)

    def write(self, results):
        rows, details = [], []
        for c, meas, sim, load in results:
            lat_m, lat_s = [r["latency_s"] for r in meas], [r["latency_s"] for r in sim]
            exits_agree = sum(a["exit"] == b["exit"] for a, b in zip(sorted(meas, key=_id), sorted(sim, key=_id)))
            (mm, mci), (sm, sci) = mean_ci(lat_m), mean_ci(lat_s)
            (mp, mlo, mhi), (sp, slo, shi) = p95_ci(lat_m), p95_ci(lat_s)
            rows.append({"config": c.name, "images": len(meas), "measured_mean_s": mm, "simulated_mean_s": sm,
                         "rel_error": (sm - mm) / mm, "measured_p95_s": mp, "simulated_p95_s": sp,
                         "p95_rel_error": (sp - mp) / mp})
            d = {"config": c.name, "gamma": c.gamma, "uplink_bps": c.rate_bps, "policy": c.policy, "split": c.split,
                 "arrival": "closed-loop" if c.arrival_hz is None else f"periodic:{c.arrival_hz:g}",
                 "uplink_trace": os.path.basename(c.trace) if c.trace else "",
                 "simulated_images": len(sim),
                 "images": len(meas), "exits_agree": exits_agree, "measured_mean_ci95_s": mci,
                 "simulated_mean_ci95_s": sci, "measured_p95_lo_s": mlo, "measured_p95_hi_s": mhi,
                 "simulated_p95_lo_s": slo, "simulated_p95_hi_s": shi, "other_load_cores": load}
            for part in ("edge_s", "uplink_queue_s", "transfer_s", "cloud_queue_s", "cloud_s", "downlink_s",
                         "edge_queue_s"):
                d[f"measured_{part}"] = sum(r[part] for r in meas) / len(meas)
                d[f"simulated_{part}"] = sum(r[part] for r in sim) / len(sim)
            details.append(d)
        _write_csv(os.path.join(self.out, "validation.csv"), COLUMNS, rows)
        _write_csv(os.path.join(self.out, "validation_details.csv"), list(details[0]), details)
        _write_table(os.path.join(self.out, "validation_table.md"), rows, details)
        from validation_figure import make_validation_figure

        make_validation_figure(self.out)
        errs = [r["rel_error"] for r in rows]
        log(f"{len(rows)} configurations; mean |rel_error| {sum(map(abs, errs)) / len(errs):.2%}, max "
            f"{max(map(abs, errs)):.2%}, mean signed {sum(errs) / len(errs):+.2%}; max |p95_rel_error| "
            f"{max(abs(r['p95_rel_error']) for r in rows):.2%}")


def _write_table(path, rows, details):
    """validation_table.md: the table of docs/validation.md and the README, in ms."""
    with open(path, "w", encoding="utf-8") as f:
        f.write("| config | images | measured mean (95% CI) | popex-sim mean | error | measured p95 | popex-sim p95 "
                "| error | other load (cores) |\n|---|---:|---:|---:|---:|---:|---:|---:|---:|\n")
        for r, d in zip(rows, details):
            f.write(f"| {r['config']} | {r['images']} | {r['measured_mean_s'] * 1e3:.1f} +- "
                    f"{d['measured_mean_ci95_s'] * 1e3:.1f} | {r['simulated_mean_s'] * 1e3:.1f} | "
                    f"{r['rel_error']:+.1%} | {r['measured_p95_s'] * 1e3:.1f} | {r['simulated_p95_s'] * 1e3:.1f} | "
                    f"{r['p95_rel_error']:+.1%} | {d['other_load_cores']:.2f} |\n")
        errs = [r["rel_error"] for r in rows]
        f.write(f"\n{len(rows)} configurations: mean |error| {sum(map(abs, errs)) / len(errs):.1%}, largest "
                f"{max(map(abs, errs)):.1%}, mean signed {sum(errs) / len(errs):+.1%}; largest p95 |error| "
                f"{max(abs(r['p95_rel_error']) for r in rows):.1%}.\n")


def _id(r):
    return int(r["image_id"])


def _summary(path):
    with open(path, newline="", encoding="utf-8") as f:
        return next(csv.DictReader(f))


def _write_csv(path, columns, rows):
    with open(path, "w", newline="", encoding="utf-8") as f:
        w = csv.writer(f, lineterminator="\n")
        w.writerow(columns)
        for r in rows:
            w.writerow([repr(r[c]) if isinstance(r[c], float) else r[c] for c in columns])


def main(argv=None):
    p = ArgumentParser(prog=PROG, description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("--out", required=True, help="output directory")
    p.add_argument("--quick", action="store_true", help="reduced set: 20 images per configuration, no periodic")
    p.add_argument("--popex-sim", default=os.path.join(REPO, "build", "release", "popex-sim"),
                   help="the popex-sim binary (default build/release/popex-sim)")
    p.add_argument("--images", type=int, default=100, help="images per configuration (default 100)")
    p.add_argument("--slow-images", type=int, default=40, help="images of cloud-only at 1.1 Mbit/s (default 40)")
    p.add_argument("--rates", type=lambda t: [float(v) * 1e6 for v in t.split(",")], default=[1.1e6, 5.5e6, 18.8e6],
                   help="uplink rates in Mbit/s (default 1.1,5.5,18.8)")
    p.add_argument("--gammas", type=lambda t: [float(v) for v in t.split(",")], default=[1.0, 10.0],
                   help="gammas (default 1,10)")
    p.add_argument("--threshold", type=float, default=0.8, help="confidence threshold (default 0.8)")
    p.add_argument("--seed", type=int, default=1, help="master seed (default 1)")
    p.add_argument("--wait-idle", type=float, default=30,
                   help="seconds of an idle machine (no compiler, other load < 0.15 cores) before the profiles and "
                        "the calibration; 10 s (at most this) before each configuration (default 30; 0 = no wait)")
    p.add_argument("--max-wait", type=float, default=300,
                   help="seconds to wait at most for an idle machine, each time; then it measures anyway and "
                        "records the load (default 300)")
    p.add_argument("--resume", action="store_true", help="reuse the steps whose outputs exist in --out")
    p.add_argument("--no-trace", action="store_true", help="leave out the square-wave static/live pair")
    p.add_argument("--no-periodic", action="store_true", help="leave out the periodic-arrival configurations")
    p.add_argument("--no-keep-awake", dest="keep_awake", action="store_false",
                   help="no keep-awake spinners, in the testbed nor while profiling (testbed.py --no-keep-awake)")
    p.add_argument("--gamma-method", choices=("idle", "cgroup"), default="idle",
                   help="the testbed's gamma emulation: compute-then-idle (default) or a cgroup v1 cpu quota")
    p.add_argument("--attempts", type=int, default=3,
                   help="measurements of a configuration while other processes use > 0.25 cores (default 3)")
    p.add_argument("--edge-core", type=int, default=0)
    p.add_argument("--cloud-core", type=int, default=1)
    try:
        args = p.parse_args(sys.argv[1:] if argv is None else argv)
        if os.geteuid() != 0:
            raise ProfileError("must run as root (the testbed needs network namespaces, tc and cgroups)")
        if not os.access(args.popex_sim, os.X_OK):
            raise ProfileError(f"--popex-sim {args.popex_sim} is not an executable (build it: cmake --build "
                               f"--preset release)")
        t0 = time.monotonic()
        signal.signal(signal.SIGTERM, signal.default_int_handler)  # SIGTERM stops the run like Ctrl-C does
        Validation(args).execute()
        log(f"done in {(time.monotonic() - t0) / 60:.1f} min; {os.path.join(args.out, 'validation.csv')}")
    except (ProfileError, sim_runner.SimError) as e:
        print(f"{PROG}: error: {e}", file=sys.stderr)
        return 2
    except KeyboardInterrupt:
        print(f"{PROG}: interrupted; the testbed cleaned up; --resume continues", file=sys.stderr)
        return 130
    return 0


if __name__ == "__main__":
    sys.exit(main())
