#!/usr/bin/python3
"""Three tiers (device -> edge server -> cloud, docs/model.md): where POPEX splits, and what load does to it.

Two inputs, both written by analysis/run_paper.sh:

  * tier_split_sweep.csv: `popex-sim solve --edge-gamma ... --chosen-only --format csv`, one chosen (s1, s2) per
    (gamma, edge_gamma, uplink), for example
        popex-sim solve --dnn workloads/dnn/b-alexnet.yaml --threshold 0.8 --gamma 1,1.5,2 --edge-gamma 0.5,1,2 \
            --uplink 3g --latency-ms 60 --backhaul 100Mbps --backhaul-latency-ms 5 --chosen-only --format csv
    It needs gamma, edge_gamma, uplink_bps, split_index, split_after, edge_split_index and edge_split_after.
    Output: tier_split_map.png/.pdf, one panel per access technology (3G, 4G, ...): the chosen pair over the
    (gamma_d, gamma_e) plane on log axes, one colour per pair (a hue per device split s1, darker as the edge
    server runs more layers), each large region labelled with its pair, "conv1 | fc3" meaning the device runs up to
    conv1 and the edge server up to fc3. The dotted diagonal is gamma_e = gamma_d. One stdout line per technology:
    the pairs met along gamma_e = 1 as gamma_d grows, and along gamma_d = 100 as gamma_e grows.
  * three-tier-devices/summary_by_point.csv: the campaign workloads/campaigns/three-tier-devices.yaml (devices x
    policy, several seeds). It needs devices, policy, mean_latency_s, p95_latency_s, edge_server_exit_fraction and
    cloud_fraction; mean_latency_s_ci95 gives error bars.
    Output: tier_devices.png/.pdf, panels (a) mean and (b) p95 latency against the number of devices behind the
    edge server, one line per policy (log y), and (c) where load-aware POPEX's images finish (device, edge server,
    cloud). One stdout line: per policy, the first number of devices whose mean latency is over twice its value
    with the fewest devices.

Run alone (the input is told apart by its columns):

    /usr/bin/python3 analysis/tier_figures.py results/paper/tier_split_sweep.csv results/paper/figures
    /usr/bin/python3 analysis/tier_figures.py results/paper/three-tier-devices/summary_by_point.csv \
        results/paper/figures
"""

from __future__ import annotations

import sys
from pathlib import Path

import numpy as np
import pandas as pd

sys.path.insert(0, str(Path(__file__).resolve().parent))
import popex_plot as pp  # noqa: E402
from popex_plot import plt  # noqa: E402
from matplotlib.colors import BoundaryNorm, ListedColormap  # noqa: E402
from matplotlib.patches import Patch  # noqa: E402

MAP_REQUIRED = ("gamma", "edge_gamma", "uplink_bps", "split_index", "split_after", "edge_split_index",
                "edge_split_after")
DEVICES_REQUIRED = ("devices", "policy", "mean_latency_s", "p95_latency_s", "edge_server_exit_fraction",
                    "cloud_fraction")
MAP_STEM = "tier_split_map"
DEVICES_STEM = "tier_devices"
POLICY_ORDER = ["static", "dynamic", "load-aware"]
# One hue per device split s1, in increasing s1; the device-only split (s1 = N) is always grey.
FAMILIES = ["Blues", "Oranges", "Greens", "Purples", "Reds", "YlOrBr", "PuRd", "BuGn"]
MIN_LABEL_DEPTH = 2  # a region is labelled on the map if it is at least this many cells deep


# --------------------------------------------------------------------------------------------------- split map

def _pair_label(s1: str, s2: str) -> str:
    return f"{s1} | {s2}"


def _pair_colors(pairs: pd.DataFrame, n_layers: int) -> list:
    """One colour per (s1, s2) row of ``pairs`` (sorted by s1, s2): hue by s1, darker as s2 grows."""
    colors = []
    s1_values = sorted(pairs["split_index"].unique())
    for _, row in pairs.iterrows():
        s1, s2 = int(row["split_index"]), int(row["edge_split_index"])
        family = "Greys" if s1 == n_layers else FAMILIES[s1_values.index(s1) % len(FAMILIES)]
        s2_values = sorted(pairs.loc[pairs["split_index"] == s1, "edge_split_index"].unique())
        shade = 0.6 if len(s2_values) == 1 else 0.35 + 0.5 * s2_values.index(s2) / (len(s2_values) - 1)
        colors.append(plt.get_cmap(family)(shade))
    return colors


def _legend_name(s1: int, s2: int, label: str, n_layers: int) -> str:
    """The pair's label, with what it means for the three pure placements and the relay."""
    if s1 == n_layers:
        return f"{label}  (device only)"
    if s1 == 0 and s2 == 0:
        return f"{label}  (cloud only)"
    if s1 == 0 and s2 == n_layers:
        return f"{label}  (edge server only)"
    if s1 == s2:
        return f"{label}  (edge server relays)"
    return label


def _cell_edges(values: np.ndarray) -> np.ndarray:
    """Edges of log-spaced cells centred on ``values``: geometric midpoints, extended half a step outside."""
    logs = np.log10(values)
    mids = (logs[1:] + logs[:-1]) / 2
    return 10 ** np.concatenate([[2 * logs[0] - mids[0]], mids, [2 * logs[-1] - mids[-1]]])


def _deepest_cell(mask: np.ndarray) -> tuple[int, int, int]:
    """(row, col, depth): a cell of ``mask`` farthest from its border, by repeated erosion (outside = border)."""
    depth, core = 0, mask.copy()
    while True:
        padded = np.pad(core, 1, constant_values=False)
        eroded = (core & padded[:-2, 1:-1] & padded[2:, 1:-1] & padded[1:-1, :-2] & padded[1:-1, 2:])
        if not eroded.any():
            break
        core, depth = eroded, depth + 1
    rows, cols = np.nonzero(core)
    mid = np.argmin((rows - rows.mean()) ** 2 + (cols - cols.mean()) ** 2)
    return int(rows[mid]), int(cols[mid]), depth


def _run_through(line: np.ndarray, at: int) -> tuple[int, int]:
    """First and last index of the run of True in the boolean ``line`` that contains ``at``."""
    lo, hi = at, at
    while lo > 0 and line[lo - 1]:
        lo -= 1
    while hi < len(line) - 1 and line[hi + 1]:
        hi += 1
    return lo, hi


def _label_regions(ax: plt.Axes, codes: np.ndarray, gd_edges: np.ndarray, ge_edges: np.ndarray,
                   labels: pd.Series) -> None:
    """Write each region's pair in it: horizontally if it fits across the region, else vertically, else not."""
    fig = ax.figure
    fig.canvas.draw()  # settle the layout, so that text extents are final
    to_px = ax.transData.transform
    for c in np.unique(codes):
        mask = codes == c
        row, col, depth = _deepest_cell(mask)
        if depth < MIN_LABEL_DEPTH:
            continue
        c0, c1 = _run_through(mask[row], col)
        r0, r1 = _run_through(mask[:, col], row)
        x0, y0 = to_px((gd_edges[c0], ge_edges[r0]))
        x1, y1 = to_px((gd_edges[c1 + 1], ge_edges[r1 + 1]))
        x, y = np.sqrt(gd_edges[col] * gd_edges[col + 1]), np.sqrt(ge_edges[row] * ge_edges[row + 1])
        text = ax.text(x, y, labels[c], ha="center", va="center", fontsize=8,
                       bbox=dict(boxstyle="round,pad=0.2", fc="white", ec="none", alpha=0.75))
        extent = text.get_window_extent()
        if extent.width > x1 - x0:
            text.set_rotation(90)
            if extent.width > y1 - y0 or extent.height > x1 - x0:
                text.remove()


def _runs_along(labels: pd.Series) -> str:
    """'a, b from x2, c from x3': the labels met along a series indexed by increasing x, and where each starts."""
    parts, prev = [], None
    for x, label in labels.items():
        if label != prev:
            parts.append(f"{label} from {x:g}" if parts else f"{label}")
            prev = label
    return ", ".join(parts)


def make_tier_split_map(csv_path: str | Path, outdir: str | Path) -> list[Path]:
    """tier_split_map: the chosen (s1, s2) over (gamma_d, gamma_e), one panel per access technology."""
    df = pp.read_csv(csv_path, MAP_REQUIRED)
    if df.duplicated(["uplink_bps", "gamma", "edge_gamma"]).any():
        raise pp.AnalysisError(f"{csv_path}: several chosen rows for one (uplink, gamma, edge_gamma): "
                               "hold every other input fixed")
    n_layers = int(df["edge_split_index"].max())
    pairs = (df[["split_index", "edge_split_index", "split_after", "edge_split_after"]].drop_duplicates()
             .sort_values(["split_index", "edge_split_index"]).reset_index(drop=True))
    pairs["label"] = [_pair_label(a, b) for a, b in zip(pairs["split_after"], pairs["edge_split_after"])]
    code = {(int(a), int(b)): i for i, (a, b) in enumerate(zip(pairs["split_index"], pairs["edge_split_index"]))}
    colors = _pair_colors(pairs, n_layers)
    cmap = ListedColormap(colors)
    norm = BoundaryNorm(np.arange(len(pairs) + 1) - 0.5, len(pairs))
    df["code"] = [code[(int(a), int(b))] for a, b in zip(df["split_index"], df["edge_split_index"])]
    df["label"] = pairs["label"].to_numpy()[df["code"]]

    uplinks = sorted(df["uplink_bps"].unique())
    regions = []  # (axes, codes, gamma_d cell edges, gamma_e cell edges), labelled once the layout is final
    pp.setup_style()
    fig, axes = plt.subplots(1, len(uplinks), figsize=(5.6 * len(uplinks), 5.0), squeeze=False,
                             constrained_layout=True)
    for ax, uplink in zip(axes[0], uplinks):
        d = df[df["uplink_bps"] == uplink]
        grid = d.pivot(index="edge_gamma", columns="gamma", values="code")
        if grid.isna().any().any():
            raise pp.AnalysisError(f"{csv_path}: the (gamma, edge_gamma) points of uplink {uplink:g} bit/s "
                                   "do not form a full grid")
        gd, ge = grid.columns.to_numpy(dtype=float), grid.index.to_numpy(dtype=float)
        if len(gd) < 2 or len(ge) < 2:
            raise pp.AnalysisError(f"{csv_path}: a map needs at least two values of gamma and of edge_gamma "
                                   f"(uplink {uplink:g} bit/s has {len(gd)} and {len(ge)})")
        codes = grid.to_numpy(dtype=int)
        ax.grid(False)
        ax.pcolormesh(_cell_edges(gd), _cell_edges(ge), codes, cmap=cmap, norm=norm, shading="flat",
                      rasterized=True)
        lo, hi = max(gd.min(), ge.min()), min(gd.max(), ge.max())
        ax.plot([lo, hi], [lo, hi], ls=":", lw=1.0, color="black")
        at = lo * (hi / lo) ** 0.15
        ax.text(at, at, r" $\gamma_e = \gamma_d$", ha="left", va="top", fontsize=8)
        ax.set_xscale("log")
        ax.set_yscale("log")
        ax.set_xlim(_cell_edges(gd)[[0, -1]])
        ax.set_ylim(_cell_edges(ge)[[0, -1]])
        regions.append((ax, codes, _cell_edges(gd), _cell_edges(ge)))
        ax.set_xlabel(r"$\gamma_d$: device time / cloud time")
        ax.set_ylabel(r"$\gamma_e$: edge-server time / cloud time")
        row0 = d.iloc[0]
        access = f"{pp.technology_label(uplink)} access ({pp.format_rate(uplink)}, {row0.get('latency_ms', 0):g} ms)"
        if "backhaul_bps" in d:
            access += (f", backhaul {pp.format_rate(row0['backhaul_bps'])}, "
                       f"{row0.get('backhaul_latency_ms', 0):g} ms")
        ax.set_title(access)
        along_d = d[pp.isclose_mask(d["edge_gamma"], 1.0)].set_index("gamma").sort_index()["label"]
        along_e = d[pp.isclose_mask(d["gamma"], 100.0)].set_index("edge_gamma").sort_index()["label"]
        print(f"{MAP_STEM}: {pp.technology_label(uplink)}: at gamma_e = 1, as gamma_d grows: "
              f"{_runs_along(along_d) or 'no gamma_e = 1 in the grid'}; at gamma_d = 100, as gamma_e grows: "
              f"{_runs_along(along_e) or 'no gamma_d = 100 in the grid'}")
    handles = [Patch(facecolor=colors[i], label=_legend_name(int(r["split_index"]), int(r["edge_split_index"]),
                                                              r["label"], n_layers))
               for i, r in pairs.iterrows()]
    fig.legend(handles=handles, title="device up to | edge server up to (the cloud runs the rest)",
               loc="upper center", bbox_to_anchor=(0.5, 0.0), ncol=3, fontsize=8, title_fontsize=9)
    dnn = df["dnn"].iloc[0] if "dnn" in df else "DNN"
    thresholds = df["threshold"].dropna().unique() if "threshold" in df else []
    threshold = f", threshold {thresholds[0]:g}" if len(thresholds) == 1 else ""
    fig.suptitle(f"Three tiers: the (device, edge server) split POPEX chooses, {dnn}{threshold}")
    for ax, codes, gd_edges, ge_edges in regions:
        _label_regions(ax, codes, gd_edges, ge_edges, pairs["label"])
    return pp.save_figure(fig, outdir, MAP_STEM)


# --------------------------------------------------------------------------------------------------- devices

def make_tier_devices_figures(csv_path: str | Path, outdir: str | Path) -> list[Path]:
    """tier_devices: latency against the number of devices behind one edge server, per policy."""
    df = pp.read_csv(csv_path, DEVICES_REQUIRED)
    policies = sorted(df["policy"].unique(),
                      key=lambda p: (POLICY_ORDER.index(p) if p in POLICY_ORDER else len(POLICY_ORDER), p))
    pp.setup_style()
    fig, axes = plt.subplots(1, 3, figsize=(14, 4.2), constrained_layout=True)
    saturation = []
    for i, policy in enumerate(policies):
        d = df[df["policy"] == policy].sort_values("devices")
        # Lines may coincide (static and dynamic do when nothing changes): earlier ones are wider, so all stay visible.
        style = dict(marker=pp.MARKERS[i % len(pp.MARKERS)], color=f"C{i}", label=policy,
                     lw=1.6 + 1.2 * (len(policies) - 1 - i), ls=pp.LINESTYLES[i % len(pp.LINESTYLES)])
        err = d["mean_latency_s_ci95"] * 1e3 if "mean_latency_s_ci95" in d else None
        axes[0].errorbar(d["devices"], d["mean_latency_s"] * 1e3, yerr=err, capsize=2, elinewidth=1, **style)
        axes[1].plot(d["devices"], d["p95_latency_s"] * 1e3, **style)
        over = d[d["mean_latency_s"] > 2 * d["mean_latency_s"].iloc[0]]["devices"]
        saturation.append(f"{policy} {int(over.iloc[0])}" if len(over)
                          else f"{policy} none up to {int(d['devices'].max())}")
    for ax, panel in zip(axes[:2], ["(a) mean latency", "(b) p95 latency"]):
        ax.set_yscale("log")
        ax.set_ylabel("latency (ms)")
        ax.set_title(panel)
    axes[0].legend(title="policy")

    aware = df[df["policy"] == "load-aware"].sort_values("devices")
    if aware.empty:
        axes[2].text(0.5, 0.5, "no load-aware runs", ha="center", va="center", transform=axes[2].transAxes)
    else:
        server, cloud = aware["edge_server_exit_fraction"] * 100, aware["cloud_fraction"] * 100
        axes[2].stackplot(aware["devices"], 100 - server - cloud, server, cloud,
                          labels=["device", "edge server", "cloud"], colors=["tab:gray", "tab:orange", "tab:blue"],
                          alpha=0.75)
        axes[2].set_ylim(0, 100)
        axes[2].legend(title="finished on", loc="lower left")
        unaware = df[df["policy"].isin(["static", "dynamic"])]
        if not unaware.empty:
            server, cloud = unaware["edge_server_exit_fraction"].mean() * 100, unaware["cloud_fraction"].mean() * 100
            names = " and ".join(sorted(unaware["policy"].unique(), key=POLICY_ORDER.index))
            axes[2].text(0.98, 0.03, f"{names}, on average:\n{100 - server - cloud:.0f}% device, "
                         f"{server:.0f}% edge server,\n{cloud:.0f}% cloud", transform=axes[2].transAxes,
                         ha="right", va="bottom", fontsize=8,
                         bbox=dict(boxstyle="round,pad=0.3", fc="white", ec="none", alpha=0.8))
    axes[2].set_ylabel("images (%)")
    axes[2].set_title("(c) load-aware POPEX: where images finish")
    for ax in axes:
        ax.set_xlabel("devices behind the edge server")
    fig.suptitle("Cameras behind one single-slot edge server (workloads/campaigns/three-tier-devices.yaml)")
    print(f"{DEVICES_STEM}: first number of devices with a mean latency over twice the smallest one's: "
          + ", ".join(saturation))
    return pp.save_figure(fig, outdir, DEVICES_STEM)


def make_tier_figures(csv_path: str | Path, outdir: str | Path) -> list[Path]:
    """The split map for a three-tier solve CSV, the devices figure for the campaign's summary_by_point.csv."""
    columns = pd.read_csv(csv_path, nrows=0).columns if Path(csv_path).is_file() else []
    if "edge_split_index" in columns:
        return make_tier_split_map(csv_path, outdir)
    return make_tier_devices_figures(csv_path, outdir)


def main(argv: list[str] | None = None) -> int:
    return pp.figure_main(argv, "Three tiers: the split map from a solve sweep, or latency against devices from "
                          "the three-tier-devices campaign.", "csv",
                          "tier_split_sweep.csv, or summary_by_point.csv of the three-tier-devices campaign",
                          make_tier_figures)


if __name__ == "__main__":
    sys.exit(main())
