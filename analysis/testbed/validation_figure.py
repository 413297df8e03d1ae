#!/usr/bin/python3
"""The validation figure: popex-sim's prediction against the testbed's measurement, per configuration.

Reads DIR/validation.csv and DIR/validation_details.csv (validate.py) and writes DIR/validation.png and .pdf:

* (a) mean latency, simulated against measured, log-log, with 95% confidence intervals both ways (normal
  approximation of the mean over the images), the identity line and the +-5% target band;
* (b) the same for the 95th percentile (distribution-free order-statistic intervals) and the +-10% band;
* (c) the signed relative error of the mean and of the p95 per configuration, with both target bands.

Colour = uplink rate (3G/4G/WiFi as elsewhere in the project; purple: the square-wave trace), marker = kind of
configuration (POPEX's split, fixed split, cloud-only, periodic arrivals, static or live on the trace), filled =
gamma > 1. Runs alone too:

  /usr/bin/python3 analysis/testbed/validation_figure.py results/validation
"""
import os
import sys

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, os.path.join(HERE, ".."))

import pandas as pd  # noqa: E402

import popex_plot  # noqa: E402
from popex_plot import plt  # noqa: E402

#: marker per kind of configuration (validate.py's policy, periodic arrivals apart)
KIND_MARKERS = {"popex": "o", "fixed": "s", "cloud-only": "^", "popex periodic": "P", "static on a trace": "v",
                "live on a trace": "D"}
TRACE_COLOUR = "tab:purple"


def _kind(r):
    if isinstance(r["uplink_trace"], str) and r["uplink_trace"]:
        return "live on a trace" if r["policy"] == "oracle" else "static on a trace"
    return "popex periodic" if str(r["arrival"]).startswith("periodic") else r["policy"]


def _colour(r):
    if isinstance(r["uplink_trace"], str) and r["uplink_trace"]:
        return TRACE_COLOUR, "square wave"
    label = popex_plot.technology_label(r["uplink_bps"])
    return popex_plot.TECH_COLORS.get(label, "tab:gray"), label


def make_validation_figure(out_dir):
    """Draw the figure from out_dir's CSVs; returns the written paths."""
    popex_plot.setup_style()
    v = pd.read_csv(os.path.join(out_dir, "validation.csv"))
    d = pd.read_csv(os.path.join(out_dir, "validation_details.csv"))
    df = v.merge(d, on=["config", "images"])
    fig, axes = plt.subplots(1, 3, figsize=(15, 4.8), gridspec_kw={"width_ratios": [1, 1, 1.5]})
    for ax, what, band in ((axes[0], "mean", 0.05), (axes[1], "p95", 0.10)):
        lo = min(df[f"measured_{what}_s"].min(), df[f"simulated_{what}_s"].min()) * 0.7
        hi = max(df[f"measured_{what}_s"].max(), df[f"simulated_{what}_s"].max()) * 1.4
        ax.plot([lo, hi], [lo, hi], color="black", lw=0.8)
        ax.fill_between([lo, hi], [lo * (1 - band), hi * (1 - band)], [lo * (1 + band), hi * (1 + band)],
                        color="0.85", label=f"target +-{band:.0%}")
        for _, r in df.iterrows():
            colour, _ = _colour(r)
            if what == "mean":
                xerr, yerr = r["measured_mean_ci95_s"], r["simulated_mean_ci95_s"]
            else:
                xerr = [[r["measured_p95_s"] - r["measured_p95_lo_s"]], [r["measured_p95_hi_s"] - r["measured_p95_s"]]]
                yerr = [[r["simulated_p95_s"] - r["simulated_p95_lo_s"]],
                        [r["simulated_p95_hi_s"] - r["simulated_p95_s"]]]
            ax.errorbar(r[f"measured_{what}_s"], r[f"simulated_{what}_s"], xerr=xerr, yerr=yerr, color=colour,
                        marker=KIND_MARKERS[_kind(r)], mfc=colour if r["gamma"] > 1 else "white",
                        ms=6, lw=0.8, capsize=2)
        ax.set_xscale("log")
        ax.set_yscale("log")
        ax.set_xlim(lo, hi)
        ax.set_ylim(lo, hi)
        ax.set_xlabel(f"measured {what} latency (s)")
        ax.set_ylabel(f"popex-sim {what} latency (s)")
        ax.set_title(f"({'a' if what == 'mean' else 'b'}) {what}, 95% CIs")
    ax = axes[2]
    x = range(len(df))
    ax.axhspan(-5, 5, color="0.85", label="mean target +-5%")
    ax.axhline(10, color="0.5", ls=":", lw=0.8, label="p95 target +-10%")
    ax.axhline(-10, color="0.5", ls=":", lw=0.8)
    colours = [_colour(r)[0] for _, r in df.iterrows()]
    ax.bar([i - 0.2 for i in x], df["rel_error"] * 100, width=0.4, color=colours, label="mean")
    ax.bar([i + 0.2 for i in x], df["p95_rel_error"] * 100, width=0.4, color="none", edgecolor=colours, hatch="///",
           label="p95")
    ax.set_xticks(list(x))
    ax.set_xticklabels(df["config"], rotation=80, fontsize=7)
    ax.set_ylabel("(simulated - measured) / measured (%)")
    ax.set_title(f"(c) signed error; mean of the means' errors {df['rel_error'].mean():+.2%}")
    present = {_colour(r) for _, r in df.iterrows()}
    handles = [plt.Line2D([], [], color=c, marker="o", ls="", label=l) for c, l in sorted(present, key=lambda p: p[1])]
    kinds = {_kind(r) for _, r in df.iterrows()}
    handles += [plt.Line2D([], [], color="black", marker=m, ls="", mfc="white", label=k)
                for k, m in KIND_MARKERS.items() if k in kinds]
    handles.append(plt.Line2D([], [], color="black", marker="o", ls="", label="filled: gamma > 1"))
    axes[0].legend(handles=handles, loc="upper left", fontsize=8)
    ax.legend(loc="upper right", fontsize=8)
    fig.suptitle("popex-sim against the live testbed (B-AlexNet)")
    return popex_plot.save_figure(fig, out_dir, "validation")


if __name__ == "__main__":
    for path in make_validation_figure(sys.argv[1]):
        print(path)
