#!/usr/bin/python3
"""SBRC 2021 Figs. 6 and 7 style: B-AlexNet's side-branch exit fraction and accuracy against the threshold.

Input: b-alexnet_thresholds.csv of analysis/run_paper.sh, the output of

    popex-sim solve --dnn workloads/dnn/b-alexnet-per-sample.yaml --threshold 0.5:0.99:0.01 --format csv
    (workloads/dnn/b-alexnet.yaml when ../shared/data is absent)

It needs threshold, exit_prob_b1 (or the first exit_prob_* column), split_index and expected_accuracy. All rows are
read (not only the chosen ones). For each variant:

  * the fraction of samples classified at the side branch is exit_prob_<branch> (x 100, in %);
  * the accuracy is expected_accuracy at the edge-only split (split_index == its largest value), i.e. the accuracy of
    the whole early-exit DNN; the accuracy of the backbone alone (split_index 0, no early exit) is drawn as a
    dotted reference line.

SBRC Figs. 6/7 compare a temperature-calibrated branch with the uncalibrated one. The shipped B-AlexNet data has
confidences only, no logits, so it cannot be temperature-scaled: there is a single, uncalibrated curve, and the
figure says so. A variant whose name contains "calib" would be drawn as its own line (none exists today); no
calibrated curve is ever made up. Note also that SBRC thresholds an entropy, whereas popex-sim thresholds the
branch's top-1 confidence (higher = stricter).

Output, in OUTDIR: b-alexnet_thresholds.png/.pdf, panel (a) exit fraction, panel (b) accuracy. One line on stdout.

    /usr/bin/python3 analysis/threshold_figures.py results/paper/b-alexnet_thresholds.csv results/paper/figures
"""

from __future__ import annotations

import sys
from pathlib import Path

import pandas as pd

sys.path.insert(0, str(Path(__file__).resolve().parent))
import popex_plot as pp  # noqa: E402
from popex_plot import plt  # noqa: E402

REQUIRED = ("threshold", "split_index", "expected_accuracy")
STEM = "b-alexnet_thresholds"


def _variant_label(v: str) -> str:
    if "calib" in v.lower():
        return f"{v} (calibrated)"
    return "uncalibrated (as trained)" if v in ("", "default", "pristine") else f"{v} (uncalibrated)"


def load_thresholds(csv_path: str | Path) -> tuple[pd.DataFrame, str, dict[str, float]]:
    """Per (variant, threshold): exit fraction and edge-only accuracy; plus the branch name and backbone accuracy."""
    df = pp.read_csv(csv_path, required=REQUIRED, chosen_only=False)
    pcols = pp.exit_prob_columns(df)
    if not pcols:
        raise pp.AnalysisError(f"{csv_path}: no exit_prob_<branch> column")
    pcol = "exit_prob_b1" if "exit_prob_b1" in pcols else pcols[0]
    if len(pcols) > 1:
        pp.log(f"note: {STEM}: {len(pcols)} branches; plotting {pcol} (the first side branch)")
    df = df.dropna(subset=["threshold"])
    if df.empty:
        raise pp.AnalysisError(f"{csv_path}: no rows with a threshold")
    df["variant"] = df["variant"].fillna("").astype(str).str.strip() if "variant" in df.columns else ""
    rows, backbone = [], {}
    for variant, g in df.groupby("variant", sort=False):
        top = g[g["split_index"] == g["split_index"].max()]
        for thr, t in top.groupby("threshold"):
            rows.append({"variant": variant, "threshold": float(thr), "exit_frac": float(t[pcol].iloc[0]),
                         "accuracy": float(t["expected_accuracy"].iloc[0])})
        cloud = g[g["split_index"] == 0]["expected_accuracy"].dropna()
        if not cloud.empty:
            backbone[variant] = float(cloud.iloc[0])
    d = pd.DataFrame(rows).sort_values(["variant", "threshold"]).reset_index(drop=True)
    return d, pcol.removeprefix("exit_prob_"), backbone


def make_threshold_figures(csv_path: str | Path, outdir: str | Path) -> list[Path]:
    pp.setup_style()
    csv_path = Path(csv_path)
    d, branch, backbone = load_thresholds(csv_path)
    head = pd.read_csv(csv_path, nrows=1)
    dnn = str(head["dnn"].iloc[0]) if "dnn" in head.columns else "B-AlexNet"
    variants = list(dict.fromkeys(d["variant"]))
    calibrated = [v for v in variants if "calib" in v.lower()]

    fig, (ax1, ax2) = plt.subplots(1, 2, figsize=(11.5, 4.6))
    for i, v in enumerate(variants):
        s = d[d["variant"] == v]
        color = "tab:blue" if "calib" in v.lower() else "tab:red"
        if len(variants) > 2:
            color = None
        kw = dict(color=color, lw=1.8, marker=pp.MARKERS[i % len(pp.MARKERS)], markevery=5,
                  label=_variant_label(v))
        ax1.plot(s["threshold"], s["exit_frac"] * 100, **kw)
        ax2.plot(s["threshold"], s["accuracy"] * 100, **kw)
        if v in backbone:
            ax2.axhline(backbone[v] * 100, color="0.35", ls=":", lw=1.3,
                        label="backbone only, no early exit" + ("" if len(variants) == 1 else f" ({v})"))
    ax1.set_title(f"(a) Samples classified at side branch {branch}")
    ax1.set_ylabel(f"Samples classified at {branch} (%)")
    ax1.set_ylim(0, 100)
    ax2.set_title("(b) Accuracy of the early-exit DNN (edge-only split)")
    ax2.set_ylabel("Accuracy (%)")
    for ax in (ax1, ax2):
        ax.set_xlabel("Confidence threshold $p_{tar}$ (top-1 softmax probability)")
        ax.legend(loc="best")
    cal = ("calibrated vs. uncalibrated" if calibrated else
           "uncalibrated branch only: no calibrated B-AlexNet in the data (no logits to temperature-scale)")
    fig.suptitle(f"{dnn}: side-branch exits and accuracy vs. threshold (cf. SBRC Figs. 6/7)\n{cal}")
    fig.tight_layout()
    paths = pp.save_figure(fig, outdir, STEM)

    parts = []
    for v in variants:
        s = d[d["variant"] == v]
        a, b = s.iloc[0], s.iloc[-1]
        part = (f"{_variant_label(v)}: p_tar {a['threshold']:g} -> {b['threshold']:g}: exits at {branch} "
                f"{a['exit_frac'] * 100:.1f}% -> {b['exit_frac'] * 100:.1f}%, accuracy {a['accuracy'] * 100:.1f}% "
                f"-> {b['accuracy'] * 100:.1f}%")
        if v in backbone:
            part += f" (backbone alone {backbone[v] * 100:.1f}%)"
        parts.append(part)
    print(f"{STEM}: " + "; ".join(parts) + ("" if calibrated else "; no calibrated curve (no data)"))
    return paths


def main(argv: list[str] | None = None) -> int:
    return pp.figure_main(argv, "B-AlexNet exit fraction and accuracy vs threshold (SBRC Figs. 6/7).", "thresholds_csv",
                          "popex-sim solve CSV over thresholds (run_paper.sh b-alexnet_thresholds.csv)", make_threshold_figures)


if __name__ == "__main__":
    sys.exit(main())
