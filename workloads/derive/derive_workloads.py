"""Derive the shipped DNN workloads (workloads/dnn/*.yaml) from the reference data in ../shared/data.

Writes, deterministically (same input -> byte-identical output):
  workloads/dnn/b-alexnet.yaml             B-AlexNet, exit tables for thresholds 0.50..0.99 from per-sample data
  workloads/dnn/b-alexnet-per-sample.yaml  same network, pointing at the per-sample CSV (left in ../shared/data)
  workloads/dnn/mobilenetv2-3b.yaml        MobileNetV2 with 3 side branches (Caltech-256), pristine tables plus
                                           blur/noise variants
  workloads/dnn/mobilenetv2-1b.yaml        same network with only side branch 1 (resp. 1 and 2) kept; exit tables
  workloads/dnn/mobilenetv2-2b.yaml        exact, final accuracy approximate (see docs/workloads.md)
The format, every number's source and every assumption are documented in docs/workloads.md.

Run from the repository root with Debian's interpreter (needs only python3 and python3-pandas):
  /usr/bin/python3 workloads/derive/derive_workloads.py [--data ../shared/data] [--out workloads/dnn]
"""
import argparse
import math
import os
from decimal import Decimal

import pandas as pd

REPO = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
REGEN = "/usr/bin/python3 workloads/derive/derive_workloads.py"
F32 = 4  # bytes per float32 element
EXPERT = "expert"  # suffix of the variants of the distortion-trained models

# ---------------------------------------------------------------- formatting


def num(x, integer=False):
    """A YAML number: 12 significant digits, never in exponent notation (so any YAML parser reads a float)."""
    if integer:
        return str(int(x))
    s = format(Decimal(f"{float(x):.12g}"), "f")
    if "." in s:
        s = s.rstrip("0").rstrip(".")
    return s if "." in s else s + ".0"


def lvl(x):
    """Distortion level without a trailing .0 (5.0 -> '5')."""
    return str(int(x)) if float(x).is_integer() else repr(float(x))


def header(lines):
    return ["# " + l if l else "#" for l in lines]


def row(thr, prob, acc):
    s = f"{{threshold: {num(thr)}, exit_prob: {num(prob)}"
    if prob > 0:  # accuracy is undefined when no sample exits
        s += f", accuracy: {num(acc)}"
    return s + "}"


def emit_layers(out, layers):
    out.append("layers:")
    for name, t, size in layers:
        out.append(f"  - {{name: {name}, cloud_time_s: {num(t)}, output_bytes: {num(size, True)}}}")


def emit_final(out, thresholds, accs, indent=""):
    out.append(f"{indent}final_accuracy:")
    for t, a in zip(thresholds, accs):
        out.append(f"{indent}  - {{threshold: {num(t)}, accuracy: {num(a)}}}")


def emit_branches(out, branches, tables):
    """branches: [(name, after, time)]; tables: None or (thresholds, [[(prob, acc)] per branch], final accs)."""
    out.append("branches:")
    for k, (name, after, t) in enumerate(branches):
        out += [f"  - name: {name}", f"    after: {after}", f"    cloud_time_s: {num(t)}"]
        if tables:
            out.append("    exits:")
            out += [f"      - {row(thr, p, a)}" for thr, (p, a) in zip(tables[0], tables[1][k])]
    if tables:
        emit_final(out, tables[0], tables[2])


def emit_variants(out, variants):
    """variants: [(name, description, model, (thresholds, per-branch rows, final accs))]; model "" = the top level's."""
    out.append("variants:")
    for name, desc, model, (thr, rows, final) in variants:
        out += [f"  - name: {name}", f'    description: "{desc}"']
        if model:
            out.append(f"    model: {model}")
        out.append("    branches:")
        for k, brows in enumerate(rows, 1):
            out.append(f"      - name: b{k}")
            out.append("        exits:")
            out += [f"          - {row(t, p, a)}" for t, (p, a) in zip(thr, brows)]
        emit_final(out, thr, final, indent="    ")


def write(path, out):
    with open(path, "w", encoding="utf-8") as f:
        f.write("\n".join(out) + "\n")
    print("wrote", os.path.relpath(path, REPO))


# ---------------------------------------------------------------- B-AlexNet

ALEXNET_GROUPS = [  # layer, module columns (data README), output tensor (C, H, W), MACs of its conv/linear
    ("conv1", range(1, 4), (64, 27, 27), 55 * 55 * 64 * 3 * 11 * 11),
    ("conv2", range(4, 7), (192, 13, 13), 27 * 27 * 192 * 64 * 5 * 5),
    ("conv3", range(7, 9), (384, 13, 13), 13 * 13 * 384 * 192 * 3 * 3),
    ("conv4", range(9, 11), (256, 13, 13), 13 * 13 * 256 * 384 * 3 * 3),
    ("conv5", range(11, 15), (256, 6, 6), 13 * 13 * 256 * 256 * 3 * 3),
    ("fc1", range(15, 18), (4096, 1, 1), 9216 * 4096),
    ("fc2", range(18, 21), (4096, 1, 1), 4096 * 4096),
    ("fc3", range(21, 22), (1000, 1, 1), 4096 * 1000),
]
ALEXNET_INPUT = 3 * 224 * 224 * F32
TIMES_CSV = "models/b-alexnet/per_module_cpu_times.csv"
SAMPLES_CSV = "models/b-alexnet/per_sample_confidences_cifar10.csv"


def alexnet_profile(data):
    """[(layer, mean seconds, output bytes)], mean b_1 seconds, seconds per MAC of the reference host."""
    df = pd.read_csv(os.path.join(data, TIMES_CSV), index_col=0)
    assert len(df) == 50, len(df)
    layers = [(name, float(df[[f"l_{i}" for i in cols]].sum(axis=1).mean()), math.prod(shape) * F32)
              for name, cols, shape, _ in ALEXNET_GROUPS]
    total_macs = sum(g[3] for g in ALEXNET_GROUPS)
    return layers, float(df["b_1"].mean()), sum(l[1] for l in layers) / total_macs, total_macs


def alexnet_tables(data):
    df = pd.read_csv(os.path.join(data, SAMPLES_CSV), index_col=0)
    thresholds, rows, final = [], [], []
    for c in range(50, 100):  # thresholds 0.50..0.99, exact hundredths
        t = c / 100
        ex = df["conf_branch_1"] >= t
        thresholds.append(t)
        rows.append((ex.mean(), df.loc[ex, "correct_branch_1"].mean() if ex.any() else 0.0))
        final.append(df.loc[~ex, "correct_branch_2"].mean())
    return thresholds, [rows], final, len(df)


def alexnet_common(layers, b1, variant):
    out = ["name: b-alexnet", f"input_bytes: {ALEXNET_INPUT}", "result_bytes: 0", "default_threshold: 0.8"]
    out += ["variant: pristine"] if variant else []
    emit_layers(out, layers)
    return out, [("b1", "conv1", b1)]


def alexnet_head(fname, what, spu, macs, extra):
    return header([
        f"{fname}: B-AlexNet, {what}",
        "B-AlexNet of the POPEX papers: torchvision AlexNet (ImageNet-pretrained, 224x224 input) with one side",
        "branch after features[2] (conv1+relu+maxpool), evaluated on the CIFAR-10 test set upscaled to 224x224.",
        "GENERATED, do not edit. Regenerate:  " + REGEN,
        "Use:",
        f"  build/release/popex-sim solve --dnn workloads/dnn/{fname} --gamma 10 --uplink 3g --threshold 0.8",
        "",
        "Sources (in ../shared/data, unmodified; see its README.md):",
        f"- {TIMES_CSV}",
        "  (github pachecobeto95/CARPEX, branchynet/processing_time_b_alexnet_cpu.csv):",
        "  torchvision AlexNet per-module CPU times, 50 runs. cloud_time_s of a layer = mean over the 50 runs of the",
        "  sum of its module columns (conv1 l_1..l_3, conv2 l_4..l_6, conv3 l_7..l_8, conv4 l_9..l_10,",
        "  conv5 l_11..l_14 incl. avgpool, fc1 l_15..l_17, fc2 l_18..l_20, fc3 l_21); b1 = mean of b_1.",
        "  That CPU is the reference cloud host. Readings are quantized to ~1 ms; fc3 read 0 in all 50 runs, hence 0.",
        f"  (This host runs AlexNet's {macs / 1e6:.1f} M conv/fc MACs in {spu * macs * 1e3:.3f} ms = {spu:.4e} s/MAC.)",
    ] + extra + [
        "Assumptions: output_bytes = float32 size of the layer's output tensor (architecture); input_bytes = raw",
        "float32 3x224x224. result_bytes 0: the papers ignore the result transfer (set e.g. 4 for a class id).",
        "Confidences are uncalibrated max-softmax.",
    ])


def write_b_alexnet(data, out_dir):
    layers, b1, spu, macs = alexnet_profile(data)
    thr, rows, final, n = alexnet_tables(data)
    i8 = thr.index(0.8)
    extra = [
        f"- {SAMPLES_CSV} (github pachecobeto95/adaptive_early_exit,",
        f"  results_ee_alexnet_for_ucb_3.csv), {n} images. For threshold t = 0.50..0.99: exit_prob = share of images",
        "  with conf_branch_1 >= t; accuracy = mean correct_branch_1 over them; final_accuracy = mean correct_branch_2",
        f"  over the images that do not exit. At t = 0.8: exit_prob {num(rows[0][i8][0])}, accuracy"
        f" {num(rows[0][i8][1])}, final {num(final[i8])}.",
    ]
    out = alexnet_head("b-alexnet.yaml", "exit tables from per-sample data", spu, macs, extra)
    body, branches = alexnet_common(layers, b1, True)
    out += body
    emit_branches(out, branches, (thr, rows, final))
    backbone = samples_backbone_accuracy(data)
    out += [f"backbone_accuracy: {num(backbone)}    # correct_branch_2 over all {n} images: the plain DNN (cloud-only)"]
    write(os.path.join(out_dir, "b-alexnet.yaml"), out)


def samples_backbone_accuracy(data):
    """Accuracy of the backbone's final exit over every sample: what the plain DNN (no branch) achieves."""
    df = pd.read_csv(os.path.join(data, SAMPLES_CSV))
    return float(df["correct_branch_2"].mean())


def write_b_alexnet_per_sample(data, out_dir):
    layers, b1, spu, macs = alexnet_profile(data)
    rel = os.path.relpath(os.path.join(os.path.abspath(data), SAMPLES_CSV), os.path.abspath(out_dir))
    extra = [
        f"- {SAMPLES_CSV} (github pachecobeto95/adaptive_early_exit,",
        "  results_ee_alexnet_for_ucb_3.csv): read by the simulator itself (per_sample.file, relative to this file);",
        "  a sample exits at b1 when conf_branch_1 >= threshold. The file stays in ../shared/data.",
    ]
    out = alexnet_head("b-alexnet-per-sample.yaml", "per-sample exit data", spu, macs, extra)
    body, branches = alexnet_common(layers, b1, False)
    out += body
    emit_branches(out, branches, None)
    out += ["per_sample:", f"  file: {rel}"]
    write(os.path.join(out_dir, "b-alexnet-per-sample.yaml"), out)


# ---------------------------------------------------------------- MobileNetV2

# torchvision mobilenet_v2 inverted-residual settings (expansion t, channels c, repeats n, first stride s)
MNV2_IR = [(1, 16, 1, 1), (6, 24, 2, 2), (6, 32, 3, 2), (6, 64, 4, 2), (6, 96, 3, 1), (6, 160, 3, 2), (6, 320, 1, 1)]
MNV2_HW = 224  # input size of the workload (Table 1 of the paper); the source evaluated at 300 (see docs)
N_CLASSES = 258  # n_classes of the source code (Caltech-256: 256 classes + clutter, +1)
DIST = "models/mobilenetv2/distortion/"
PRISTINE = DIST + "result_model_calib_pristine_b_mobilenet_eval_pristine_21_1.csv"


def mnv2_features(hw):
    """torchvision mobilenet_v2 `features` at input hw x hw: [(name, macs, bn_elems, residual_elems, (C,H,W))]."""
    h, c = (hw - 1) // 2 + 1, 32
    res = [("f0_conv", h * h * 32 * 27, h * h * 32, 0, (32, h, h))]
    for t, co, n, s in MNV2_IR:
        for i in range(n):
            st, hid = (s if i == 0 else 1), c * t
            h2 = (h - 1) // st + 1
            macs = (h * h * c * hid if t != 1 else 0) + h2 * h2 * hid * 9 + h2 * h2 * hid * co
            bn = (h * h * hid if t != 1 else 0) + h2 * h2 * hid + h2 * h2 * co
            resid = h2 * h2 * co if (st == 1 and c == co) else 0
            res.append((f"f{len(res)}_ir{co}", macs, bn, resid, (co, h2, h2)))
            c, h = co, h2
    res.append((f"f{len(res)}_conv1x1", h * h * c * 1280, h * h * 1280, 0, (1280, h, h)))
    return res


def mnv2_branch_points(hw=300, n_branches=3):
    """Replays B_MobileNet.insertBranches of the source code (distribution 'linear', pthflops counts: conv MACs +
    2 per BN output + 2 per residual-add output): branch k is inserted before the first features module i whose
    cumulative count reaches k/(n+1) of the total, and that module i is dropped from the backbone."""
    ops = [m + 2 * bn + 2 * r for _, m, bn, r, _ in mnv2_features(hw)]
    total, cum, points = sum(ops), 0, []
    for i, o in enumerate(ops):
        cum += o
        if len(points) < n_branches and cum >= total * (len(points) + 1) / (n_branches + 1):
            points.append(i)
    return points


def mnv2_network(spu, hw=MNV2_HW):
    """Layers [(name, seconds, bytes, shape, MACs)], branches [(name, after, seconds, MACs)], dropped modules."""
    feats, dropped = mnv2_features(hw), mnv2_branch_points()
    layers, branches = [], []
    for i, (name, macs, _, resid, shape) in enumerate(feats):
        if i in dropped:
            assert resid > 0, "a dropped module must be shape-preserving"
            c, h, w = layers[-1][3]
            pool, fc = c * h * w, c * 4 * N_CLASSES  # branch head: AdaptiveAvgPool2d(2) + Linear(4C, 258)
            branches.append((f"b{len(branches) + 1}", layers[-1][0], (pool + fc) * spu, pool + fc))
            continue
        layers.append((name, macs * spu, math.prod(shape) * F32, shape, macs))
    c, h, w = layers[-1][3]
    layers.append(("avgpool", c * h * w * spu, c * F32, (c, 1, 1), c * h * w))
    layers.append(("fc", c * N_CLASSES * spu, N_CLASSES * F32, (N_CLASSES, 1, 1), c * N_CLASSES))
    return layers, branches, dropped


def mnv2_tables(df, level):
    """Exit tables at one distortion level: (thresholds, [[(q, acc)] per branch], final accs). First row wins."""
    d = df[df["distortion_lvl"] == level].drop_duplicates(["p_tar"], keep="first").sort_values("p_tar")
    thr = [float(t) for t in d["p_tar"]]
    assert all(a < b for a, b in zip(thr, thr[1:])) and 0 < thr[0] and thr[-1] <= 1
    rows = []
    for k in (1, 2, 3):
        q, acc = d[f"nr_exit_branch_{k}"] / 100, d[f"acc_branch_{k}"] / 100
        assert not ((q > 0) & acc.isna()).any(), "exit_prob > 0 with undefined accuracy"
        rows.append([(float(a), 0.0 if math.isnan(b) else float(b)) for a, b in zip(q, acc)])
    # check the conditional reading of nr_exit_branch_k against the cumulative edge_exit_rate_branch_k
    reach = [1.0] * len(thr)
    cum = [0.0] * len(thr)
    for k in (1, 2, 3):
        for j, (q, _) in enumerate(rows[k - 1]):
            cum[j] += reach[j] * q
            reach[j] *= 1 - q
        assert max(abs(a * 100 - b) for a, b in zip(cum, d[f"edge_exit_rate_branch_{k}"])) < 1e-9
    return thr, rows, [float(a) / 100 for a in d["acc_branch_4"]]


def keep_prefix(tables, keep):
    """Keep branches 1..keep. Exit tables stay exact (conditional on reaching the branch); the final exit now also
    receives the samples the removed branches would have taken, whose backbone accuracy is not in the data: it is
    approximated by the removed branch's own accuracy on them."""
    thr, rows, final = tables
    new_final = []
    for j in range(len(thr)):
        acc = final[j]
        for k in reversed(range(keep, len(rows))):  # fold from the last branch back
            q, a = rows[k][j]
            acc = q * a + (1 - q) * acc
        new_final.append(acc)
    return thr, rows[:keep], new_final


def mnv2_variants(data):
    pristine_calib = {"blur": "result_model_calib_pristine_b_mobilenet_eval_gaussian_blur_21_1.csv",
                      "noise": "result_model_calib_pristine_b_mobilenet_eval_gaussian_noise_21_1.csv"}
    expert = {"blur": "result2_model_calib_gaussian_blur_b_mobilenet_eval_gaussian_blur_21_freezing_3.csv",
              "noise": "result_model_calib_gaussian_noise_b_mobilenet_eval_gaussian_noise_21_freezing_3.csv"}
    total = "total_model_calib_gaussian_blur_b_mobilenet_eval_gaussian_blur_21.csv"
    kind = {"blur": "Gaussian blur sigma", "noise": "Gaussian noise sigma"}
    adj = {"blur": "blurred", "noise": "noisy"}
    pristine = pd.read_csv(os.path.join(data, PRISTINE), index_col=0)
    out = []
    for d in ("blur", "noise"):
        df = pd.read_csv(os.path.join(data, DIST, pristine_calib[d]), index_col=0)
        assert mnv2_tables(df, 0.0) == mnv2_tables(pristine, 0.0), "level 0 must equal the pristine file"
        for level in sorted(l for l in df["distortion_lvl"].unique() if l != 0):
            out.append((f"{d}-{lvl(level)}", f"{kind[d]} {lvl(level)} images, model trained and temperature-"
                        f"calibrated on pristine images ({pristine_calib[d]})", "", mnv2_tables(df, level)))
    for d in ("blur", "noise"):
        df = pd.read_csv(os.path.join(data, DIST, expert[d]), index_col=0)
        for level in sorted(df["distortion_lvl"].unique()):
            what = f"{kind[d]} {lvl(level)} images" if level else "pristine images"
            out.append((f"{d}-{lvl(level)}-{EXPERT}", f"{what}, {d} expert "
                        f"model: pristine backbone frozen, side branches and final classifier retrained on "
                        f"{adj[d]} images, temperature-calibrated for {d} ({expert[d]})", f"{d}-{EXPERT}",
                        mnv2_tables(df, level)))
    df = pd.read_csv(os.path.join(data, DIST, total), index_col=0)
    for level in sorted(df["distortion_lvl"].unique()):
        what = f"Gaussian blur sigma {lvl(level)} images" if level else "pristine images"
        out.append((f"blur-{lvl(level)}-{EXPERT}-total", f"{what}, "
                    f"second blur-trained model of the source, training differences undocumented; only p_tar 0.8 "
                    f"and 0.85 ({total})", f"blur-{EXPERT}-total", mnv2_tables(df, level)))
    return out


def write_mobilenet(data, out_dir, keep):
    _, _, spu, alex_macs = alexnet_profile(data)
    layers, branches, dropped = mnv2_network(spu)
    tables = mnv2_tables(pd.read_csv(os.path.join(data, PRISTINE), index_col=0), 0.0)
    variants = mnv2_variants(data)
    if keep < 3:
        tables = keep_prefix(tables, keep)
        variants = [(n, d, m, keep_prefix(t, keep)) for n, d, m, t in variants]
    name = f"mobilenetv2-{keep}b"
    macs = sum(l[4] for l in layers) + sum(b[3] for b in branches)
    feats, hw = mnv2_features(MNV2_HW), MNV2_HW
    gone = "branch 3" if keep == 2 else "branches 2 and 3"
    lines = [
        f"{name}: MobileNetV2 early-exit DNN on Caltech-256 (Information 2021, Pacheco et al.; model and data of",
        f"github pachecobeto95/distortion_robust_dnns_with_early_exit), {hw}x{hw} input as in Table 1 of the paper,",
        ("all 3 side branches" if keep == 3 else "side branches 1 and 2" if keep == 2 else "side branch 1")
        + " of the source's 3-branch model"
        + ("." if keep == 3 else f" ({gone} of the trained model deactivated)."),
        "GENERATED, do not edit. Regenerate:  " + REGEN,
        "Use:",
        f"  build/release/popex-sim solve --dnn workloads/dnn/{name}.yaml --gamma 10 --uplink 3g --threshold 0.8",
        "",
        "Layers: torchvision mobilenet_v2 `features` modules, one layer each (f<i>_<kind><out channels>), then avgpool",
        "and fc (Linear 1280->258). Table 1 of the paper groups the same modules (it omits the t=1, 16-channel block).",
        "Branch positions replay the source code's rule (B_MobileNet, distribution 'linear', pthflops counts at its",
        "300x300 input): branches split the FLOPs into 4 equal parts. That code inserts branch k IN PLACE of the",
        "features module where the split falls, so modules " + ", ".join(feats[i][0] for i in dropped),
        "(shape-preserving residual blocks) are not in the network that produced the exit tables; left out here too.",
        "Branch head (source code, exit_type None): AdaptiveAvgPool2d(2) + Linear(4*C, 258).",
        f"output_bytes: float32 size of each output at {hw}x{hw}; input_bytes raw float32 3x{hw}x{hw}.",
        "cloud_time_s: ASSUMPTION, no per-layer profile exists: MACs x the s/MAC of the AlexNet reference host",
        f"({TIMES_CSV}: {spu * alex_macs * 1e3:.3f} ms for {alex_macs / 1e6:.1f} M MACs = {spu:.4e} s/MAC);",
        f"pooling counted as 1 MAC per input element. This network: {macs / 1e6:.1f} M MACs incl. branch heads.",
        "",
        "Exit tables: ../shared/data/" + DIST + "*.csv",
        "(github pachecobeto95/distortion_robust_dnns_with_early_exit, results/). exit_prob = nr_exit_branch_k/100",
        "(conditional on reaching branch k; checked against the cumulative edge_exit_rate_branch_k), accuracy =",
        "acc_branch_k/100 (omitted where no sample exits), final_accuracy = acc_branch_4/100 (final exit, on the",
        "samples that reach it). Thresholds = the p_tar rows of each file. Test set: 3056 images, so one exiting",
        "sample at a branch is exit_prob 0.000327.",
        "Top level (variant pristine): " + PRISTINE.split("/")[-1],
        "(model trained and calibrated on pristine images, evaluated on pristine images).",
        f"NOTE: the source evaluated the model at 300x300 (Resize 330, CenterCrop 300), not at {hw}x{hw}.",
    ]
    if keep < 3:
        lines += [
            "",
            f"APPROXIMATE final_accuracy: with {gone} deactivated, the final exit also classifies the samples",
            "the deactivated branches would have taken; the backbone's accuracy on those is not in the data and is",
            "taken equal to the deactivated branch's own accuracy on them. Exit probabilities and times are exact.",
        ]
    out = header(lines)
    out += [f"name: {name}", "input_bytes: " + str(3 * hw * hw * F32), "result_bytes: 0",
            "default_threshold: 0.8", "variant: pristine"]
    emit_layers(out, [l[:3] for l in layers])
    emit_branches(out, [b[:3] for b in branches[:keep]], tables)
    emit_variants(out, variants)
    write(os.path.join(out_dir, f"{name}.yaml"), out)


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--data", default=os.path.join(REPO, "..", "shared", "data"), help="reference data directory")
    ap.add_argument("--out", default=os.path.join(REPO, "workloads", "dnn"), help="output directory")
    args = ap.parse_args()
    data = os.path.normpath(args.data)
    os.makedirs(args.out, exist_ok=True)
    write_b_alexnet(data, args.out)
    write_b_alexnet_per_sample(data, args.out)
    for keep in (3, 2, 1):
        write_mobilenet(data, args.out, keep)


if __name__ == "__main__":
    main()
