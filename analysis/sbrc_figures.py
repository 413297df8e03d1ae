#!/usr/bin/python3
"""SBRC 2021 Figures 3 and 4 (Pacheco & Couto) from a `popex-sim solve` sweep.

Input: the CSV written by

    popex-sim solve --dnn workloads/dnn/b-alexnet.yaml --gamma 1:1000:1 --uplink 3g,4g,wifi \
        --exit-prob b1=0:1:0.1 --chosen-only --format csv > results/sbrc_sweep.csv

with header
    dnn,variant,gamma,uplink_bps,downlink_bps,latency_ms,threshold,exit_prob_b1,split_index,split_after,
    expected_time_s,offload_prob,expected_accuracy,chosen
(one chosen row per (gamma, uplink, exit probability); without --chosen-only, the rows with chosen=0 are dropped).

Output, in OUTDIR:
  * sbrc_fig3.png/.pdf - expected inference time E[T] (ms, from expected_time_s) against the branch exit
    probability p (exit_prob_b1), one line per technology (3G/4G/WiFi, named from uplink_bps), one panel per
    gamma in {10, 100}. The 3G, gamma=10 panel is annotated with the reduction of E[T] from p=0 to p=1
    (the paper reports 87.27% for its unpublished profile).
  * sbrc_fig4.png/.pdf - the chosen split (split_index, labelled with split_after names) against gamma
    (log axis), a step line per p in {0.2, 0.5, 0.8, 1.0}, one panel per technology 3G and 4G. The smallest
    gamma at which the split becomes "input" for 3G and p=0.8 is marked (paper: about 500).
Both numbers are also printed on stdout.

Exit probabilities are matched with np.isclose, so 0.30000000000000004 counts as 0.3. With several
exit_prob_<branch> columns, --branch picks the one on the x axis / in the legend (default b1, or the only one);
the others are held at their smallest value.

Run (Debian's python3 has matplotlib and pandas; the pyenv `python3` on PATH does not):

    /usr/bin/python3 analysis/sbrc_figures.py results/sbrc_sweep.csv results/figures
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

import numpy as np
import pandas as pd

sys.path.insert(0, str(Path(__file__).resolve().parent))
import popex_plot as pp  # noqa: E402
from popex_plot import plt  # noqa: E402  (Agg backend already selected)

REQUIRED = ("gamma", "uplink_bps", "split_index", "expected_time_s")

FIG3_GAMMAS = (10.0, 100.0)
FIG3_REF_TECH, FIG3_REF_GAMMA = "3G", 10.0
FIG3_PAPER_REDUCTION = 87.27  # percent, SBRC Fig. 3(a)

FIG4_PROBS = (0.2, 0.5, 0.8, 1.0)
FIG4_TECHS = ("3G", "4G")
FIG4_REF_TECH, FIG4_REF_P = "3G", 0.8
FIG4_PAPER_GAMMA = 500  # "a partir de gamma = 500 ... muda de v1 a input"


# --------------------------------------------------------------------------------------------------- data

def load_sweep(csv_path: str | Path, branch: str | None = None) -> tuple[pd.DataFrame, str]:
    """Read the sweep, reduce it to one row per (gamma, uplink, p) and return it with the p column name."""
    df = pp.read_csv(csv_path, required=REQUIRED)
    probs = pp.exit_prob_columns(df)
    if not probs:
        raise pp.AnalysisError(f"{csv_path}: no exit_prob_<branch> column")
    if branch is not None:
        pcol = f"exit_prob_{branch}"
        if pcol not in probs:
            raise pp.AnalysisError(f"{csv_path}: no column {pcol}; exit-probability columns: {', '.join(probs)}")
    else:
        pcol = "exit_prob_b1" if "exit_prob_b1" in probs else probs[0]

    # Hold every other input that varies for one uplink (a technology preset may also fix the downlink and the
    # latency, so columns that only change together with uplink_bps are fine) at one value, so that each
    # (gamma, uplink, p) is a single point.
    for col in [c for c in probs if c != pcol] + ["dnn", "variant", "latency_ms", "downlink_bps", "threshold"]:
        if col not in df.columns or df[col].isna().all():
            continue
        if df.groupby("uplink_bps")[col].nunique(dropna=False).max() > 1:
            keep = df.groupby("uplink_bps")[col].transform("min")
            pp.log(f"note: {col} varies for a given uplink; SBRC figures use its smallest value per uplink")
            df = df[(df[col] == keep) | (df[col].isna() & keep.isna())]

    df = df.copy()
    df["tech"] = [pp.technology_label(b) for b in df["uplink_bps"]]
    df["time_ms"] = df["expected_time_s"].astype(float) * 1e3
    df["split_index"] = df["split_index"].astype(int)
    df = df.sort_values(["uplink_bps", "gamma", pcol]).reset_index(drop=True)

    key = np.column_stack([df["gamma"].round(9), df["uplink_bps"].round(3), df[pcol].astype(float).round(9)])
    dup = pd.DataFrame(key).duplicated()
    if dup.any():
        raise pp.AnalysisError(
            f"{csv_path}: {int(dup.sum())} duplicate (gamma, uplink_bps, {pcol}) rows; expected one chosen row "
            "per combination (use --chosen-only, or a chosen column)")
    return df, pcol


def _dnn_name(df: pd.DataFrame) -> str:
    if "dnn" in df.columns and df["dnn"].notna().any():
        name = str(df["dnn"].dropna().iloc[0])
        if "variant" in df.columns and df["variant"].notna().any():
            name += f" ({df['variant'].dropna().iloc[0]})"
        return name
    return "DNN"


def _techs_by_rate(df: pd.DataFrame) -> list[tuple[str, float]]:
    rates = sorted(df["uplink_bps"].astype(float).unique())
    return [(pp.technology_label(r), r) for r in rates]


def _branch_name(pcol: str) -> str:
    return pcol[len("exit_prob_"):]


# --------------------------------------------------------------------------------------------------- Fig. 3

def fig3_reduction(df: pd.DataFrame, pcol: str, tech: str = FIG3_REF_TECH,
                   gamma: float = FIG3_REF_GAMMA) -> tuple[float, float, float] | None:
    """(E[T] at p=0 in ms, E[T] at p=1 in ms, reduction in %) for one technology and gamma, or None."""
    sel = df[(df["tech"] == tech) & pp.isclose_mask(df["gamma"], gamma)]
    t0 = sel[pp.isclose_mask(sel[pcol], 0.0)]["time_ms"]
    t1 = sel[pp.isclose_mask(sel[pcol], 1.0)]["time_ms"]
    if t0.empty or t1.empty:
        return None
    a, b = float(t0.iloc[0]), float(t1.iloc[0])
    return a, b, (100.0 * (a - b) / a if a > 0 else float("nan"))


def plot_fig3(df: pd.DataFrame, pcol: str, outdir: str | Path, gammas=FIG3_GAMMAS) -> list[Path]:
    """SBRC Fig. 3: E[T] (ms) vs p, one line per technology, one panel per gamma."""
    pp.setup_style()
    branch = _branch_name(pcol)
    fig, axes = plt.subplots(1, len(gammas), figsize=(5.0 * len(gammas), 4.0), squeeze=False)
    red = fig3_reduction(df, pcol)
    for j, (ax, g) in enumerate(zip(axes[0], gammas)):
        sub = df[pp.isclose_mask(df["gamma"], g)]
        ax.set_title(f"({chr(ord('a') + j)}) $\\gamma$ = {g:g}")
        ax.set_xlabel(f"Exit probability at side branch {branch}, p")
        ax.set_ylabel("Expected inference time E[T] (ms)")
        ax.set_xlim(-0.03, 1.03)
        if sub.empty:
            ax.text(0.5, 0.5, f"no rows with gamma = {g:g}", ha="center", va="center", transform=ax.transAxes)
            pp.log(f"warning: fig3: no rows with gamma = {g:g}")
            continue
        for k, (tech, rate) in enumerate(_techs_by_rate(sub)):
            line = sub[np.isclose(sub["uplink_bps"].astype(float), rate)].sort_values(pcol)
            label = tech if tech.endswith("bps") else f"{tech} ({pp.format_rate(rate)})"
            ax.plot(line[pcol], line["time_ms"], marker=pp.MARKERS[k % len(pp.MARKERS)],
                    color=pp.tech_color(tech, k), label=label)
        ax.set_ylim(bottom=0)
        if red is not None and np.isclose(g, FIG3_REF_GAMMA):
            a, b, pct = red
            ax.plot([0.0, 1.0], [a, b], linestyle="none", marker="o", ms=10, mfc="none",
                    mec=pp.tech_color(FIG3_REF_TECH), mew=1.2, zorder=5)
            ax.text(0.97, 0.97,
                    f"{FIG3_REF_TECH}: {a:.1f} ms (p=0) \u2192 {b:.1f} ms (p=1)\n"
                    f"reduction {pct:.2f}%  (paper: {FIG3_PAPER_REDUCTION:.2f}%)",
                    transform=ax.transAxes, ha="right", va="top", fontsize=8.5,
                    bbox=dict(boxstyle="round", fc="white", ec=pp.tech_color(FIG3_REF_TECH), alpha=0.9))
            ax.legend(loc="lower left", title="Uplink")
        else:
            ax.legend(loc="best", title="Uplink")
    fig.suptitle(f"Expected inference time vs. branch exit probability, {_dnn_name(df)} (cf. SBRC Fig. 3)")
    fig.tight_layout()
    return pp.save_figure(fig, outdir, "sbrc_fig3")


# --------------------------------------------------------------------------------------------------- Fig. 4

def fig4_input_gamma(df: pd.DataFrame, pcol: str, tech: str = FIG4_REF_TECH,
                     p: float = FIG4_REF_P) -> dict | None:
    """Where the split becomes 'input' (index 0) as gamma grows, for one technology and p.

    Returns {'first': smallest gamma with split 0, 'stays': smallest gamma from which every larger gamma
    has split 0 (None if the last gamma is not split 0), 'before': split name just before 'first'}, or None
    if there are no rows / the split never becomes input.
    """
    sel = df[(df["tech"] == tech) & pp.isclose_mask(df[pcol], p)].sort_values("gamma")
    if sel.empty:
        return None
    is_input = (sel["split_index"] == 0).to_numpy()
    if not is_input.any():
        return {"first": None, "stays": None, "before": None}
    gammas = sel["gamma"].astype(float).to_numpy()
    i_first = int(np.argmax(is_input))
    stays = None
    if is_input[-1]:
        not_input = np.nonzero(~is_input)[0]
        stays = float(gammas[not_input[-1] + 1]) if len(not_input) else float(gammas[0])
    labels = pp.split_labels(df)
    before = None
    if i_first > 0:
        idx = int(sel["split_index"].iloc[i_first - 1])
        before = labels.get(idx, str(idx))
    return {"first": float(gammas[i_first]), "stays": stays, "before": before}


def plot_fig4(df: pd.DataFrame, pcol: str, outdir: str | Path, techs=FIG4_TECHS, probs=FIG4_PROBS) -> list[Path]:
    """SBRC Fig. 4: chosen split vs gamma (log), a step line per p, one panel per technology."""
    pp.setup_style()
    branch = _branch_name(pcol)
    labels = pp.split_labels(df)
    top = max(int(df["split_index"].max()), max(labels))
    fig, axes = plt.subplots(1, len(techs), figsize=(5.0 * len(techs), 4.2), squeeze=False, sharey=True)
    gmin, gmax = float(df["gamma"].min()), float(df["gamma"].max())
    ref = fig4_input_gamma(df, pcol)
    for j, (ax, tech) in enumerate(zip(axes[0], techs)):
        sub = df[df["tech"] == tech]
        rate = f" ({pp.format_rate(sub['uplink_bps'].iloc[0])})" if not sub.empty else ""
        ax.set_title(f"({chr(ord('a') + j)}) {tech}{rate}")
        ax.set_xscale("log")
        ax.set_xlim(gmin, gmax)
        ax.set_xlabel("Processing factor $\\gamma$ (edge time / cloud time)")
        pp.set_split_ticks(ax, labels, 0, top)
        if j == 0:
            ax.set_ylabel("Chosen split layer $v_s$ (last layer on the edge)")
        if sub.empty:
            ax.text(0.5, 0.5, f"no {tech} rows", ha="center", va="center", transform=ax.transAxes)
            pp.log(f"warning: fig4: no rows for {tech}")
            continue
        n = len(probs)
        for k, p in enumerate(probs):
            line = sub[pp.isclose_mask(sub[pcol], p)].sort_values("gamma")
            if line.empty:
                pp.log(f"warning: fig4: no {tech} rows with {pcol} = {p:g}")
                continue
            ax.step(line["gamma"], line["split_index"], where="post", label=f"p = {p:g}",
                    linestyle=pp.LINESTYLES[k % len(pp.LINESTYLES)], lw=1.2 + 1.0 * (n - 1 - k),
                    alpha=0.85, zorder=2 + k)
        if tech == FIG4_REF_TECH and ref and ref["first"] is not None:
            g0 = ref["first"]
            ax.annotate(f"p = {FIG4_REF_P:g}: input from $\\gamma$ = {g0:g}  (paper: about {FIG4_PAPER_GAMMA})",
                        xy=(g0, 0), xytext=(0.03, 0.11), textcoords="axes fraction", ha="left", va="center",
                        fontsize=8.5, arrowprops=dict(arrowstyle="->", color="0.3", lw=0.8),
                        bbox=dict(boxstyle="round", fc="white", ec="0.5", alpha=0.9))
        ax.legend(loc="upper right", title=f"Exit prob. at {branch}")
    fig.suptitle(f"Chosen split layer vs. processing factor, {_dnn_name(df)} (cf. SBRC Fig. 4)")
    fig.tight_layout()
    return pp.save_figure(fig, outdir, "sbrc_fig4")


# --------------------------------------------------------------------------------------------------- driver

def make_sbrc_figures(csv_path: str | Path, outdir: str | Path, branch: str | None = None) -> list[Path]:
    """Draw Figs. 3 and 4 from one sweep CSV, print the two headline numbers, return the files written."""
    df, pcol = load_sweep(csv_path, branch)
    paths = plot_fig3(df, pcol, outdir)
    red = fig3_reduction(df, pcol)
    if red is None:
        print(f"fig3: no {FIG3_REF_TECH} rows at gamma={FIG3_REF_GAMMA:g} with p=0 and p=1; no reduction computed")
    else:
        a, b, pct = red
        print(f"fig3: {FIG3_REF_TECH}, gamma={FIG3_REF_GAMMA:g}: E[T] {a:.3f} ms at p=0 -> {b:.3f} ms at p=1, "
              f"reduction {pct:.2f}% (paper: {FIG3_PAPER_REDUCTION:.2f}%)")
    paths += plot_fig4(df, pcol, outdir)
    ref = fig4_input_gamma(df, pcol)
    where = f"{FIG4_REF_TECH}, p={FIG4_REF_P:g}"
    if ref is None:
        print(f"fig4: no rows for {where}")
    elif ref["first"] is None:
        print(f"fig4: {where}: the split never becomes input for gamma <= {df['gamma'].max():g} "
              f"(paper: about {FIG4_PAPER_GAMMA})")
    else:
        msg = (f"fig4: {where}: split becomes input at gamma={ref['first']:g}"
               + (f" (from {ref['before']})" if ref["before"] else "")
               + f" (paper: about {FIG4_PAPER_GAMMA}, from v1)")
        if ref["stays"] is None:
            msg += "; but it is not input at the largest gamma"
        elif not np.isclose(ref["stays"], ref["first"]):
            msg += f"; it stays input only from gamma={ref['stays']:g}"
        print(msg)
    return paths


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description="Draw SBRC 2021 Figs. 3 and 4 from a popex-sim solve sweep CSV.")
    ap.add_argument("solve_csv", help="CSV of `popex-sim solve ... --chosen-only --format csv`")
    ap.add_argument("outdir", help="directory for sbrc_fig3/4 .png and .pdf (created if missing)")
    ap.add_argument("--branch", default=None, help="branch whose exit_prob_<branch> column is p (default b1)")
    args = ap.parse_args(argv)
    try:
        make_sbrc_figures(args.solve_csv, args.outdir, args.branch)
    except pp.AnalysisError as exc:
        pp.log(f"error: {exc}")
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
