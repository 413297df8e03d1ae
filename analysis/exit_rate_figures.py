#!/usr/bin/python3
"""SBRC 2021 Fig. 5 style: edge exit probability (and accuracy) against the confidence threshold, per distortion level.

Input: exit_rates.csv of analysis/run_paper.sh, i.e. the concatenated `popex-sim solve --format csv` output of

    popex-sim solve --dnn workloads/dnn/mobilenetv2-3b.yaml --variant V --threshold 0.7:0.9:0.05 --format csv

for V = pristine, blur-1..blur-5, noise-5..noise-40 and their `-expert` counterparts (one header). It needs the
columns variant, threshold, split_index, edge_exit_prob and expected_accuracy. All rows are read (not only the chosen
ones): for each variant the rows with split_index == its largest split_index (the edge-only split, so every side
branch runs on the edge) give

  * edge_exit_prob:     the probability that some side branch on the edge classifies the image;
  * expected_accuracy:  the accuracy of the whole early-exit DNN at that threshold.

Variants are read as: `pristine` = level 0 of both distortions; `blur-N` / `noise-N` = Gaussian blur / noise of
level (sigma) N; a `-expert` suffix = side branches and final classifier retrained on distorted images (dashed
lines). Other variant names (e.g. `blur-2-expert-total`) are left out with a note on stderr.

Output, in OUTDIR:
  * exit_rates_edge_exit.png/.pdf - edge exit probability vs threshold, one line per level, panel (a) blur,
    panel (b) noise; solid = model trained on pristine images, dashed = expert branches;
  * exit_rates_accuracy.png/.pdf  - expected accuracy (%) vs threshold, same layout.
One line per figure on stdout gives the values at the reference threshold (0.8, or the nearest one present).

    /usr/bin/python3 analysis/exit_rate_figures.py results/paper/exit_rates.csv results/paper/figures
"""

from __future__ import annotations

import re
import sys
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pandas as pd

sys.path.insert(0, str(Path(__file__).resolve().parent))
import popex_plot as pp  # noqa: E402
from popex_plot import plt  # noqa: E402
from matplotlib.lines import Line2D  # noqa: E402

REQUIRED = ("variant", "threshold", "split_index", "edge_exit_prob", "expected_accuracy")
KINDS = ("blur", "noise")
KIND_TITLES = {"blur": "Gaussian blur", "noise": "Gaussian noise"}
REF_THRESHOLD = 0.8
_VARIANT_RE = re.compile(r"^(blur|noise)-(\d+(?:\.\d+)?)(-expert)?$")


@dataclass(frozen=True)
class VariantKey:
    kind: str      # blur | noise
    level: float   # sigma; 0 = pristine images
    expert: bool   # branches retrained on distorted images


def parse_variant(name: str) -> list[VariantKey]:
    """Where a variant goes: pristine counts as level 0 of both kinds. [] for names we do not know."""
    name = str(name).strip()
    if name == "pristine":
        return [VariantKey(k, 0.0, False) for k in KINDS]
    m = _VARIANT_RE.match(name)
    if not m:
        return []
    return [VariantKey(m.group(1), float(m.group(2)), m.group(3) is not None)]


def load_exit_rates(csv_path: str | Path) -> pd.DataFrame:
    """One row per (variant, threshold) at the edge-only split, with kind/level/expert columns."""
    df = pp.read_csv(csv_path, required=REQUIRED, chosen_only=False)
    df = df.dropna(subset=["threshold"])
    if df.empty:
        raise pp.AnalysisError(f"{csv_path}: no rows with a threshold (was it made with --exit-prob?)")
    df["variant"] = df["variant"].fillna("").astype(str).str.strip()
    top = df.groupby("variant")["split_index"].transform("max")
    df = df[df["split_index"] == top]
    rows = []
    skipped = []
    for (variant, thr), g in df.groupby(["variant", "threshold"], sort=False):
        keys = parse_variant(variant)
        if not keys:
            skipped.append(variant)
            continue
        for col in ("edge_exit_prob", "expected_accuracy"):
            vals = g[col].dropna().to_numpy(dtype=float)
            if len(vals) and not np.allclose(vals, vals[0], rtol=1e-9, atol=1e-12):
                raise pp.AnalysisError(f"{csv_path}: variant {variant}, threshold {thr:g}: {col} differs between "
                                       "rows of the edge-only split (several DNNs in one file?)")
        first = g.iloc[0]
        for key in keys:
            rows.append({"variant": variant, "kind": key.kind, "level": key.level, "expert": key.expert,
                         "threshold": float(thr), "edge_exit_prob": float(first["edge_exit_prob"]),
                         "expected_accuracy": float(first["expected_accuracy"])
                         if pd.notna(first["expected_accuracy"]) else np.nan})
    for v in sorted(set(skipped)):
        pp.log(f"note: exit_rates: variant {v!r} is neither pristine, blur-N nor noise-N[-expert]; left out")
    if not rows:
        raise pp.AnalysisError(f"{csv_path}: no pristine/blur-N/noise-N variant")
    out = pd.DataFrame(rows).sort_values(["kind", "expert", "level", "threshold"]).reset_index(drop=True)
    return out


def _level_label(kind: str, level: float) -> str:
    return "pristine" if level == 0 else f"$\\sigma$ = {level:g}"


def _level_colors(levels: list[float]) -> dict[float, str]:
    """Pristine black, then a dark-to-light sequential ramp (darker = milder distortion)."""
    ramp = plt.cm.plasma(np.linspace(0.0, 0.85, max(len(levels) - (1 if 0.0 in levels else 0), 1)))
    colors: dict[float, str] = {}
    i = 0
    for lvl in levels:
        if lvl == 0.0:
            colors[lvl] = "black"
        else:
            colors[lvl] = ramp[i]
            i += 1
    return colors


def _ref_threshold(d: pd.DataFrame) -> float:
    thr = np.array(pp.unique_close(d["threshold"]))
    return float(thr[np.argmin(np.abs(thr - REF_THRESHOLD))])


def _dnn_name(csv_path: Path) -> str:
    try:
        dnn = pd.read_csv(csv_path, usecols=["dnn"], nrows=1)["dnn"].iloc[0]
        return str(dnn)
    except Exception:  # noqa: BLE001 - the title can do without it
        return "DNN"


def _plot(d: pd.DataFrame, col: str, scale: float, ylabel: str, title: str, outdir: Path, stem: str) -> list[Path]:
    kinds = [k for k in KINDS if (d["kind"] == k).any()]
    fig, axes = plt.subplots(1, len(kinds), figsize=(6.0 * len(kinds), 5.0), sharey=True, squeeze=False)
    any_expert = bool(d["expert"].any())
    for ax, kind in zip(axes[0], kinds):
        dk = d[d["kind"] == kind]
        levels = sorted(dk["level"].unique())
        colors = _level_colors(levels)
        for expert in (False, True):
            for lvl in levels:
                s = dk[(dk["level"] == lvl) & (dk["expert"] == expert)].sort_values("threshold")
                if s.empty:
                    continue
                ax.plot(s["threshold"], s[col] * scale, color=colors[lvl], linestyle="--" if expert else "-",
                        marker="s" if expert else "o", markersize=4, lw=1.4 if expert else 1.8,
                        markerfacecolor="white" if expert else colors[lvl])
        handles = [Line2D([], [], color=colors[l], marker="o", lw=1.8, label=_level_label(kind, l)) for l in levels]
        if any_expert:
            handles += [Line2D([], [], color="0.3", lw=1.8, ls="-", marker="o", label="trained on pristine"),
                        Line2D([], [], color="0.3", lw=1.4, ls="--", marker="s", markerfacecolor="white",
                               label="expert branches")]
        ax.legend(handles=handles, loc="upper center", bbox_to_anchor=(0.5, -0.13), ncol=4, frameon=False,
                  title=f"{KIND_TITLES[kind]} level" + (" (colour) / model (line)" if any_expert else ""))
        ax.set_title(f"({'ab'[kinds.index(kind)]}) {KIND_TITLES[kind]}")
        ax.set_xlabel("Confidence threshold $p_{tar}$")
        thr = pp.unique_close(d["threshold"])
        ax.set_xticks(thr)
        ax.set_xticklabels([f"{t:g}" for t in thr])
    axes[0][0].set_ylabel(ylabel)
    lo = 0.0
    hi = float(np.nanmax(d[col])) * scale
    axes[0][0].set_ylim(lo, hi * 1.05 if hi > 0 else 1)
    fig.suptitle(title)
    fig.tight_layout()
    return pp.save_figure(fig, outdir, stem)


def _summary(d: pd.DataFrame, col: str, scale: float, fmt: str) -> str:
    thr = _ref_threshold(d)
    at = d[np.isclose(d["threshold"], thr)]
    parts = []
    for kind in KINDS:
        dk = at[at["kind"] == kind]
        if dk.empty:
            continue
        base = dk[~dk["expert"]].sort_values("level")
        vals = ", ".join(f"{l:g}:{v * scale:{fmt}}" for l, v in zip(base["level"], base[col]))
        part = f"{kind} sigma {vals}"
        ex = dk[dk["expert"]].sort_values("level")
        if not ex.empty:
            part += " (expert " + ", ".join(f"{l:g}:{v * scale:{fmt}}" for l, v in zip(ex["level"], ex[col])) + ")"
        parts.append(part)
    return f"at p_tar={thr:g}: " + "; ".join(parts)


def make_exit_rate_figures(csv_path: str | Path, outdir: str | Path) -> list[Path]:
    """Draw the two figures, print one line each, return the files written."""
    pp.setup_style()
    csv_path, outdir = Path(csv_path), Path(outdir)
    d = load_exit_rates(csv_path)
    dnn = _dnn_name(csv_path)
    paths = _plot(d, "edge_exit_prob", 1.0, "Edge exit probability (all side branches on the edge)",
                  f"Probability of an early exit on the edge vs. threshold, {dnn}, edge-only split "
                  f"(cf. SBRC Fig. 5)", outdir, "exit_rates_edge_exit")
    print("exit_rates: edge exit probability " + _summary(d, "edge_exit_prob", 1.0, ".3f"))
    if d["expected_accuracy"].notna().any():
        paths += _plot(d, "expected_accuracy", 100.0, "Expected accuracy of the early-exit DNN (%)",
                       f"Accuracy vs. threshold, {dnn}, all side branches on the edge", outdir,
                       "exit_rates_accuracy")
        print("exit_rates: expected accuracy (%) " + _summary(d, "expected_accuracy", 100.0, ".1f"))
    else:
        pp.log("warning: exit_rates: no expected_accuracy values; accuracy figure not drawn")
    return paths


def main(argv: list[str] | None = None) -> int:
    return pp.figure_main(argv, "Edge exit probability and accuracy vs threshold per distortion level.", "exit_rates_csv",
                          "concatenated popex-sim solve CSV (analysis/run_paper.sh exit_rates.csv)", make_exit_rate_figures)


if __name__ == "__main__":
    sys.exit(main())
