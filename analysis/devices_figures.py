#!/usr/bin/python3
"""Several cameras behind one cell: latency (mean with 95% CI, and p95) and deadline-hit ratio against the number of
devices, one line per policy.

Input: summary_by_point.csv of the campaign workloads/campaigns/paper-devices.yaml (devices x policy, several
seeds), run by analysis/run_paper.sh or alone with

    popex-sim campaign workloads/campaigns/paper-devices.yaml --out results/paper/devices

It needs devices, policy, mean_latency_s, p95_latency_s and deadline_hit_ratio; mean_latency_s_ci95 gives error bars.
Output, in OUTDIR: devices_scaling.png/.pdf, panels (a) mean latency, (b) p95 latency (both log y), (c) share of
images within the scenario's deadline. One stdout line: for each policy, the largest number of devices whose p95
latency stays within 1 s.

    /usr/bin/python3 analysis/devices_figures.py results/paper/devices/summary_by_point.csv results/paper/figures
"""

from __future__ import annotations

import sys
from pathlib import Path


sys.path.insert(0, str(Path(__file__).resolve().parent))
import popex_plot as pp  # noqa: E402
from popex_plot import plt  # noqa: E402

REQUIRED = ("devices", "policy", "mean_latency_s", "p95_latency_s", "deadline_hit_ratio")
STEM = "devices_scaling"
ORDER = ["static", "dynamic", "load-aware", "oracle", "neurosurgeon", "cloud-only"]


def make_devices_figures(csv_path: str | Path, outdir: str | Path, stem: str = STEM,
                         title: str = "Cameras behind one cell and one cloud (workloads/campaigns/paper-devices.yaml)"
                         ) -> list[Path]:
    df = pp.read_csv(csv_path, REQUIRED)
    policies = sorted(df["policy"].unique(), key=lambda p: (ORDER.index(p) if p in ORDER else len(ORDER), p))
    pp.setup_style()
    fig, axes = plt.subplots(1, 3, figsize=(13.5, 4.2), constrained_layout=True)
    kept = []
    for i, policy in enumerate(policies):
        d = df[df["policy"] == policy].sort_values("devices")
        style = dict(marker="o", ms=4, lw=1.6, label=policy, color=f"C{i}")
        err = d["mean_latency_s_ci95"] * 1e3 if "mean_latency_s_ci95" in d else None
        axes[0].errorbar(d["devices"], d["mean_latency_s"] * 1e3, yerr=err, capsize=2, **style)
        axes[1].plot(d["devices"], d["p95_latency_s"] * 1e3, **style)
        axes[2].plot(d["devices"], d["deadline_hit_ratio"] * 100, **style)
        ok = d[d["p95_latency_s"] <= 1.0]["devices"]
        kept.append(f"{policy} {int(ok.max()) if len(ok) else 0}")
    for ax, panel, ylabel in zip(axes, ["(a) mean latency", "(b) p95 latency", "(c) within the deadline"],
                                 ["latency (ms)", "latency (ms)", "images within the deadline (%)"]):
        ax.set_xscale("log")
        ax.set_xlabel("edge devices")
        ax.set_ylabel(ylabel)
        ax.set_title(panel)
        ax.grid(True, which="both", alpha=0.3)
    axes[0].set_yscale("log")
    axes[1].set_yscale("log")
    axes[2].set_ylim(0, 105)
    axes[0].legend(title="policy")
    fig.suptitle(title)
    print(f"{stem}: most devices with p95 latency <= 1 s: " + ", ".join(kept))
    return pp.save_figure(fig, outdir, stem)


def make_cloud_bound_figures(csv_path: str | Path, outdir: str | Path) -> list[Path]:
    """The same axes for workloads/campaigns/cloud-bound.yaml: one cloud slot, no shared network bottleneck."""
    return make_devices_figures(csv_path, outdir, "cloud_bound_scaling",
                                "Cameras on WiFi sharing one cloud slot (workloads/campaigns/cloud-bound.yaml)")


def main(argv: list[str] | None = None) -> int:
    return pp.figure_main(argv, "Latency and deadline-hit ratio against the number of devices, per policy.", "csv",
                          "summary_by_point.csv of the devices campaign", make_devices_figures)


if __name__ == "__main__":
    sys.exit(main())
