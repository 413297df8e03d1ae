#!/usr/bin/python3
"""popex_profile: the POPEX Background. Measures a PyTorch early-exit network layer by layer on this host and writes
a DNN workload YAML for popex-sim (or, with --edge-profile-out, an edge profile of this device).

It cuts a model (a torchvision model, or FILE.py:FUNCTION returning an nn.Module) into named layers, adds branch
heads after some of them, runs one real input through it, and times every layer and head alone (median and spread
over the timed runs, after warm-up, with the torch thread count set and recorded). Output sizes are the bytes of
the real output tensors (dtype-aware). Exit data come from an existing DNN YAML, or are computed from a per-sample
confidence CSV. Weights are random and nothing is ever downloaded: the timings of these dense networks do not
depend on the weights' values.

Run from the repository root with Debian's interpreter (it needs python3-torch and python3-torchvision):

  # B-AlexNet with the papers' grouping, exits copied from the shipped tables:
  /usr/bin/python3 analysis/profile/popex_profile.py --preset b-alexnet --threads 1 --runs 200 \\
      --exits-from workloads/dnn/b-alexnet.yaml --out /tmp/b-alexnet-measured.yaml
  # the same network's edge profile under an emulated device 10x slower than this CPU:
  /usr/bin/python3 analysis/profile/popex_profile.py --preset b-alexnet --slowdown 10 --device "emulated x10" \\
      --edge-profile-out /tmp/edge-x10.yaml
  # your own network: layers by module path, one branch
  /usr/bin/python3 analysis/profile/popex_profile.py --model resnet18 --layer stem=conv1,bn1,relu,maxpool \\
      --layer block1=layer1 --layer block2=layer2 --layer block3=layer3 --layer block4=layer4 \\
      --layer head=avgpool,flatten(),fc --branch b1=block2 --exits-csv my_confidences.csv --out my.yaml

Bad input (unknown model, module path that does not exist, branch after the last layer, shape mismatch, bad
number) exits with code 2 and one line "popex_profile: error: ...". docs/profiler.md has every option.
"""
import argparse
import os
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))

from profile_error import ArgumentParser, ProfileError  # noqa: E402

PROG = "popex_profile"


def _int_at_least(lo):
    """An argparse type: an integer >= lo, with the one-line message of every other bad input."""
    def parse(text):
        try:
            v = int(text)
        except ValueError:
            raise argparse.ArgumentTypeError(f"must be an integer (got '{text}')") from None
        if v < lo:
            raise argparse.ArgumentTypeError(f"must be >= {lo} (got {v})")
        return v
    return parse


_positive_int = _int_at_least(1)
_count = _int_at_least(0)


def _number(low, inclusive=True):
    def parse(text):
        try:
            v = float(text)
        except ValueError:
            raise argparse.ArgumentTypeError(f"must be a number (got '{text}')") from None
        if v != v or v in (float("inf"), float("-inf")) or (v < low if inclusive else v <= low):
            raise argparse.ArgumentTypeError(f"must be {'>=' if inclusive else '>'} {low:g} (got {text})")
        return v
    return parse


def add_network_arguments(p):
    """The options that define the network; shared with the testbed (analysis/testbed/testbed.py)."""
    from profile_presets import PRESETS

    g = p.add_argument_group("network (or --preset)")
    g.add_argument("--preset", choices=sorted(PRESETS),
                   help="a paper's network: stands for the model, layer, branch, head and input options "
                        "(--list-presets prints them)")
    g.add_argument("--model", help="torchvision model name (alexnet, mobilenet_v2, ...) or FILE.py:FUNCTION "
                                   "returning an nn.Module; random weights, never downloaded")
    g.add_argument("--num-classes", type=_positive_int, default=0,
                   help="classes of a torchvision model's final layer (default: the model's)")
    g.add_argument("--layer", action="append", default=[], metavar="NAME=ITEM[,ITEM...]",
                   help="one layer, in execution order; items are module paths (features.3), inclusive ranges of a "
                        "container's children (features.0..2), flatten() or adaptive_avg_pool2d(N) "
                        "(default: each child of an nn.Sequential, named l1..lN)")
    g.add_argument("--branch", action="append", default=[], metavar="NAME=LAYER",
                   help="a side branch reading LAYER's output (at most one per layer, not after the last)")
    g.add_argument("--branch-head", default="", metavar="FILE.py:FUNCTION",
                   help="your own branch head: FUNCTION(shape) -> nn.Module, shape = the branch input without the "
                        "batch dimension (default: BranchyNet's AdaptiveAvgPool2d(P), flatten, Linear)")
    g.add_argument("--branch-pool", type=_positive_int, default=2, metavar="P",
                   help="output size P of the default head's adaptive average pool (default 2, as the POPEX "
                        "authors' exit block)")
    g.add_argument("--branch-classes", type=_positive_int, default=0, metavar="C",
                   help="outputs of the default head's Linear (default: the width of the network's final output)")
    g.add_argument("--input-shape", default="3x224x224", metavar="CxHxW",
                   help="one input without the batch dimension (batch 1 is added); default 3x224x224")
    g.add_argument("--dtype", default="float32", help="float32 (default), float64, float16 or bfloat16")
    g.add_argument("--weights-seed", type=_count, default=0,
                   help="seed of the random weights and input (default 0)")


def network_argv(args):
    """The network options of parsed `args`, spelled out (a preset expanded), to pass on to another process."""
    out = ["--model", args.model] + (["--num-classes", str(args.num_classes)] if args.num_classes else [])
    for layer in args.layer:
        out += ["--layer", layer]
    for branch in args.branch:
        out += ["--branch", branch]
    if args.branch_head:
        out += ["--branch-head", args.branch_head]
    if args.branch_classes:
        out += ["--branch-classes", str(args.branch_classes)]
    return out + ["--branch-pool", str(args.branch_pool), "--input-shape", args.input_shape, "--dtype", args.dtype,
                  "--weights-seed", str(args.weights_seed)]


def layout_from_args(args):
    """A net_layout.Layout from parsed options (a preset's options were already expanded)."""
    from net_layout import HeadSpec, Layout, parse_branch, parse_layer, parse_shape

    if not args.model:
        raise ProfileError("one of --preset or --model is required")
    return Layout(model=args.model, num_classes=args.num_classes,
                  layers=[parse_layer(t) for t in args.layer], branches=[parse_branch(t) for t in args.branch],
                  head=HeadSpec(args.branch_pool, args.branch_classes, args.branch_head),
                  input_shape=parse_shape(args.input_shape), dtype=args.dtype, seed=args.weights_seed)


def parse_with_preset(parser, argv):
    """Parse argv; --preset NAME is replaced by the preset's options, which then may not be given again."""
    from profile_presets import PRESETS

    args = parser.parse_args(argv)
    if args.preset:
        given = [a for a in ("model", "layer", "branch", "branch_head") if getattr(args, a)]
        if given:
            raise ProfileError(f"--preset {args.preset} already sets the network: drop --"
                               f"{given[0].replace('_', '-')}")
        args = parser.parse_args(PRESETS[args.preset][1] + argv)
    return args


def build_parser():
    p = ArgumentParser(prog=PROG, description=__doc__.split("\n\n")[0],
                epilog="Weights are random and never downloaded: timings do not depend on weight values. "
                       "docs/profiler.md documents every option and the output.",
                formatter_class=argparse.RawDescriptionHelpFormatter)
    add_network_arguments(p)
    m = p.add_argument_group("measurement")
    m.add_argument("--threads", type=_positive_int, default=1, help="torch.set_num_threads (default 1)")
    m.add_argument("--runs", type=_positive_int, default=100, help="timed runs of the whole network (default 100)")
    m.add_argument("--warmup", type=_count, default=10, help="untimed runs first (default 10)")
    m.add_argument("--time-statistic", choices=("median", "mean"), default="median",
                   help="the time written per layer and head: the median over the timed runs (default; robust to "
                        "interference) or the mean (the right input when popex-sim predicts mean latencies: "
                        "E[sum] = sum of E; the testbed's validation uses it)")
    m.add_argument("--slowdown", type=_number(1.0), default=1.0, metavar="G",
                   help="emulate a device G times slower: each layer computes, then idles (G - 1) x the time it took "
                        "(the testbed's gamma emulation; default 1 = none)")
    m.add_argument("--times-from", metavar="DNN.yaml",
                   help="do not measure: copy the times of this DNN file, measured earlier for the same network "
                        "(e.g. to give a measured file other exit data)")
    m.add_argument("--wait-idle", type=_number(0.0), default=0.0, metavar="S",
                   help="first wait until, for S seconds, no compiler (cc1plus, ninja, ld, make) ran and other "
                        "processes used < 0.15 cores (default 0)")
    o = p.add_argument_group("output")
    o.add_argument("--out", help="DNN YAML to write")
    o.add_argument("--edge-profile-out", metavar="FILE",
                   help="write this device's edge profile (edge_time_s per layer and branch) instead of a DNN YAML")
    o.add_argument("--name", help="the DNN's name (default: the preset's name + '-measured', else the model's)")
    o.add_argument("--description", help="first header line (default: the preset's description)")
    o.add_argument("--device", help="edge profile: the device's name (default: this CPU, with the slowdown)")
    o.add_argument("--result-bytes", type=_count, default=0,
                   help="result_bytes of the DNN (default 0: the papers ignore the result transfer)")
    x = p.add_argument_group("exit data (a DNN YAML with branches needs one)")
    x.add_argument("--exits-from", metavar="DNN.yaml", help="copy the exit tables (or per_sample entry) of this DNN")
    x.add_argument("--exits-csv", metavar="CSV", help="compute exit tables from this per-sample confidence CSV")
    x.add_argument("--per-sample", metavar="CSV", help="point the DNN at this per-sample CSV (read by popex-sim)")
    x.add_argument("--thresholds", default="0.5:0.99:0.01", help="--exits-csv grid LO:HI:STEP (default 0.5:0.99:0.01)")
    x.add_argument("--default-threshold", type=_number(0.0, inclusive=False), default=0.8,
                   help="default_threshold with --exits-csv or --per-sample (default 0.8)")
    p.add_argument("--list-presets", action="store_true", help="print each preset's options and exit")
    return p


def _exit_data(args, net):
    import exit_source

    given = [o for o in ("exits_from", "exits_csv", "per_sample") if getattr(args, o)]
    if len(given) > 1:
        raise ProfileError("give at most one of --exits-from, --exits-csv, --per-sample")
    if not given:
        if net.branch_names:
            raise ProfileError("a network with branches needs exit data: --exits-from, --exits-csv or --per-sample")
        return exit_source.ExitData(provenance="no side branches, no exit data")
    if args.exits_from:
        return exit_source.from_dnn_yaml(args.exits_from, net.branch_names, args.out)
    if args.per_sample:
        return exit_source.per_sample_reference(args.per_sample, net.branch_names, args.out, args.default_threshold)
    grid = exit_source.thresholds_grid(args.thresholds)
    if not grid[0] <= args.default_threshold <= grid[-1]:
        raise ProfileError(f"--default-threshold must be within --thresholds [{grid[0]}, {grid[-1]}] "
                           f"(got {args.default_threshold})")
    return exit_source.from_per_sample_csv(args.exits_csv, net.branch_names, grid, args.default_threshold)


def _stats_lines(net, timings):
    lines = ["Per layer: median / p10 / p90 / mean in ms over the timed runs; output shape and bytes:"]
    for name, st, shape, size in zip(net.layer_names, timings.layers, net.layer_shapes, net.layer_bytes):
        lines.append(f"  {name}: {st.median * 1e3:.4f} / {st.p10 * 1e3:.4f} / {st.p90 * 1e3:.4f} / "
                     f"{st.mean * 1e3:.4f}  -> {'x'.join(map(str, shape))} = {size} B")
    for name, st, after in zip(net.branch_names, timings.branches, net.branch_after):
        lines.append(f"  branch {name} (after {net.layer_names[after]}): {st.median * 1e3:.4f} / {st.p10 * 1e3:.4f} "
                     f"/ {st.p90 * 1e3:.4f} / {st.mean * 1e3:.4f}")
    lines.append(f"  whole network, every layer and head (median of the per-run sums): "
                 f"{timings.whole_median_s * 1e3:.3f} ms")
    return lines


def _measure(args, net):
    """Time the network; returns (layer seconds, branch seconds, header lines on how and where)."""
    import provenance
    from layer_timing import time_network
    from slowdown import Slowdown

    if args.wait_idle:
        provenance.wait_until_idle(args.wait_idle, log=lambda m: print(f"{PROG}: {m}", file=sys.stderr))
    monitor = provenance.LoadMonitor().start()
    timings = time_network(net, args.runs, args.warmup, Slowdown(args.slowdown))
    other = monitor.stop()
    shape = "x".join(map(str, net.example.shape))
    lines = provenance.host_lines() + [
        f"Method: random weights (seed {args.weights_seed}; never downloaded: timings do not depend on weight "
        f"values); input {shape} {args.dtype}; {args.warmup} warm-up runs, then {args.runs} timed runs; each layer "
        f"and branch head timed alone (time.perf_counter, torch.inference_mode, "
        f"torch.set_num_threads({args.threads}))"
        + (f"; emulated slowdown {args.slowdown:g}: each call computes, then idles (G - 1) x its compute time"
           if args.slowdown > 1 else "") + ".",
        f"Other processes used {other:.2f} cores during the measurement"
        + (f" (after {args.wait_idle:g} s of an idle machine)" if args.wait_idle else "") + ".",
    ] + _stats_lines(net, timings)
    stat = args.time_statistic
    return [getattr(s, stat) for s in timings.layers], [getattr(s, stat) for s in timings.branches], lines


def _copied_times(path, net):
    """--times-from: the times of a DNN file measured earlier for the same layers and branches, and its header."""
    import yaml

    try:
        with open(path, encoding="utf-8") as f:
            text = f.read()
        doc = yaml.safe_load(text)
    except (OSError, yaml.YAMLError) as e:
        raise ProfileError(f"--times-from: cannot read '{path}': {str(e).splitlines()[0]}") from None
    layers = [(x["name"], x["cloud_time_s"]) for x in doc.get("layers") or []]
    branches = [(x["name"], x["cloud_time_s"]) for x in doc.get("branches") or []]
    if [n for n, _ in layers] != net.layer_names or [n for n, _ in branches] != net.branch_names:
        raise ProfileError(f"--times-from: '{path}' must have the profiled network's layers and branches, in order")
    measured = [line[2:] for line in text.splitlines() if line.startswith("# ")]
    keep = next((i for i, line in enumerate(measured) if line.startswith("Host:")), len(measured))
    return [t for _, t in layers], [t for _, t in branches], \
        [f"Times copied from {path}, measured as its header says:"] + measured[keep:]


def run(argv):
    """Parse, build, measure (or copy the times), write. Returns the path written."""
    import torch

    import dnn_yaml
    import provenance
    from net_layout import build_network
    from profile_presets import PRESETS

    args = parse_with_preset(build_parser(), argv)
    if args.list_presets:
        for name, (desc, opts) in sorted(PRESETS.items()):
            print(f"{name}: {desc}\n  " + " ".join(opts))
        return None
    if bool(args.out) == bool(args.edge_profile_out):
        raise ProfileError("give exactly one of --out (DNN YAML) and --edge-profile-out (edge profile)")
    if args.times_from and not args.out:
        raise ProfileError("--times-from makes a DNN YAML (--out), not an edge profile")
    torch.set_num_threads(args.threads)
    net = build_network(layout_from_args(args))
    exits = _exit_data(args, net) if args.out else None
    layer_s, branch_s, how = _copied_times(args.times_from, net) if args.times_from else _measure(args, net)
    name = args.name or (f"{args.preset}-measured" if args.preset else os.path.basename(args.model).split(":")[-1])
    if args.edge_profile_out:
        device = args.device or (provenance.cpu_model().replace(",", " ")
                                 + (f" (emulated slowdown {args.slowdown:g})" if args.slowdown > 1 else ""))
        if "," in device:
            raise ProfileError(f"--device must not contain a comma: popex-sim writes it in CSV columns "
                               f"(got '{device}')")
        header = [f"Edge profile of {name} on: {device}",
                  "GENERATED by analysis/profile/popex_profile.py (the POPEX Background); do not edit. Regenerate:",
                  "  " + provenance.command_line(),
                  "Use: a scenario's `edge_profile: THIS_FILE`, or popex-sim solve --edge-profile THIS_FILE.",
                  f"edge_time_s = the {args.time_statistic} over the timed runs; gamma multiplies it (use gamma 1 for "
                  "these times).",
                  ""] + how
        dnn_yaml.write_edge_profile(args.edge_profile_out, header, device, name, list(zip(net.layer_names, layer_s)),
                                    list(zip(net.branch_names, branch_s)))
        return args.edge_profile_out
    desc = args.description or (PRESETS[args.preset][0] if args.preset else f"{args.model}, profiled on this host")
    header = [f"{name}: {desc}.",
              "MEASURED on this host by analysis/profile/popex_profile.py (the POPEX Background); do not edit. "
              "Regenerate:",
              "  " + provenance.command_line(),
              "Use:",
              f"  build/release/popex-sim solve --dnn {args.out} --gamma 10 --uplink 3g --chosen-only",
              "",
              f"cloud_time_s = the {args.time_statistic} over the timed runs; output_bytes = bytes of the real output tensor; "
              f"input_bytes = the input tensor's {net.input_bytes} B; result_bytes {args.result_bytes}.",
              f"Exit data: {exits.provenance}."] + how
    dnn_yaml.write_dnn(args.out, header, name, net.input_bytes, args.result_bytes,
                       list(zip(net.layer_names, layer_s, net.layer_bytes)),
                       [(n, net.layer_names[a], t) for n, a, t in zip(net.branch_names, net.branch_after, branch_s)],
                       exits)
    return args.out


def main(argv=None):
    try:
        path = run(sys.argv[1:] if argv is None else argv)
    except ProfileError as e:
        print(f"{PROG}: error: {e}", file=sys.stderr)
        return 2
    if path:
        print(f"{PROG}: wrote {path}", file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
