#!/usr/bin/python3
"""Static against dynamic POPEX on real uplink traces: timelines, latency CDFs and a mean/p95 table.

Input: the summary.csv of a campaign over uplink.trace x policy, with its run folders beside it
(runs/<run_id>/images.csv and decisions.csv), e.g. workloads/campaigns/paper-traces.yaml, run by
analysis/run_paper.sh or alone with

    popex-sim campaign workloads/campaigns/paper-traces.yaml --out results/paper/traces

From summary.csv it needs run_id, policy and status, the trace name (uplink_trace, else the `uplink.trace` axis),
mean_latency_s and p95_latency_s. Failed runs are left out of the figures and shown as "failed" in the table.
With several seeds, the timelines show the smallest seed, the CDFs pool the images of all seeds, and the table
averages the per-run mean and p95 over the seeds.

Output, in OUTDIR:
  * trace_timeline_<trace>.png/.pdf, one per trace, three panels sharing the time axis:
      (a) uplink rate: the true rate (decisions.csv true_rate_bps of the oracle run, which decides at every rate
          change; else of the dynamic run, sampled at each decision) and the dynamic agent's estimated_rate_bps;
      (b) the split (split_index, labelled with split_after) of static, dynamic and oracle, slightly offset
          vertically so that equal splits stay visible;
      (c) per-image latency (images.csv latency_s at finish_s): a dot per image and the mean over 10-s windows,
          for static, dynamic and oracle (log axis when the spread is large);
  * trace_latency_cdf.png/.pdf: the empirical CDF of latency_s per policy, one panel per trace (log x when the
    spread is large: cloud-only on 3G takes seconds);
  * traces_table.md: rows = trace, columns = policy, cells "mean / p95" latency in ms (1 decimal), and which
    campaign and command produced it. The table is also printed on stdout, with a one-line summary.

    /usr/bin/python3 analysis/trace_figures.py results/paper/traces/summary.csv results/paper/figures
"""

from __future__ import annotations

import math
import re
import sys
from pathlib import Path

import numpy as np
import pandas as pd

sys.path.insert(0, str(Path(__file__).resolve().parent))
import popex_plot as pp  # noqa: E402
from popex_plot import plt  # noqa: E402

REQUIRED = ("run_id", "policy", "status", "mean_latency_s", "p95_latency_s")
POLICY_COLORS = {"static": "tab:blue", "dynamic": "tab:orange", "oracle": "tab:green",
                 "neurosurgeon": "tab:purple", "cloud-only": "tab:red"}
POLICY_STYLES = {"static": "-", "dynamic": "--", "oracle": ":", "neurosurgeon": "-.", "cloud-only": "-"}
TIMELINE_POLICIES = ("static", "dynamic", "oracle")
SPLIT_OFFSETS = {"static": -0.15, "dynamic": 0.0, "oracle": 0.15}
WINDOW_S = 10.0
LOG_SPREAD = 5.0  # use a log axis when max/min of the plotted latencies exceeds this
TABLE_NAME = "traces_table.md"


def _log_axis(ax, axis: str, values: np.ndarray) -> None:
    """Log scale with readable 1-2-5 tick labels in plain numbers, limits hugging the data."""
    from matplotlib.ticker import FuncFormatter, LogLocator, NullFormatter
    pos = values[values > 0]
    lo, hi = pos.min() / 1.3, pos.max() * 1.3
    fmt = FuncFormatter(lambda v, _: f"{v:g}")
    if axis == "y":
        ax.set_yscale("log")
        ax.set_ylim(lo, hi)
        target = ax.yaxis
    else:
        ax.set_xscale("log")
        ax.set_xlim(lo, hi)
        target = ax.xaxis
    target.set_major_locator(LogLocator(base=10, subs=(1.0, 2.0, 5.0)))
    target.set_major_formatter(fmt)
    target.set_minor_formatter(NullFormatter())


def _rate_text(bps: float) -> str:
    return f"{bps / 1e6:.2f} Mbit/s"


def _color(policy: str, i: int = 0) -> str:
    return POLICY_COLORS.get(policy, ["tab:brown", "tab:pink", "tab:gray", "tab:olive"][i % 4])


def _trace_name(row: pd.Series) -> str:
    name = row.get("uplink_trace")
    if not isinstance(name, str) or not name.strip():
        name = row.get("uplink.trace")
    if not isinstance(name, str) or not name.strip():
        return "constant link"
    name = Path(name.strip()).name
    return re.sub(r"\.(profile|up|down|json|txt|log)$", "", name)


def _slug(name: str) -> str:
    return re.sub(r"[^A-Za-z0-9_.-]+", "_", name)


def load_campaign(summary_csv: Path) -> pd.DataFrame:
    df = pp.read_csv(summary_csv, required=REQUIRED, chosen_only=False)
    df["policy"] = df["policy"].astype(str).str.strip()
    df["trace"] = df.apply(_trace_name, axis=1)
    # A failed run has no uplink_trace: take the trace of the ok runs with the same axis value.
    if "uplink.trace" in df.columns:
        by_axis = df[df["status"] == "ok"].groupby("uplink.trace")["trace"].first()
        df["trace"] = [by_axis.get(a, t) for a, t in zip(df["uplink.trace"], df["trace"])]
    if "seed" not in df.columns:
        df["seed"] = 0
    return df


def _read_run(camp: Path, run_id: str, name: str) -> pd.DataFrame | None:
    path = camp / "runs" / str(run_id) / name
    if not path.is_file():
        pp.log(f"warning: traces: {path} missing")
        return None
    try:
        return pd.read_csv(path)
    except pd.errors.EmptyDataError:
        return None


def _true_rate(runs: dict[str, pd.DataFrame]) -> pd.DataFrame | None:
    """(time_s, true_rate_bps) step points: the oracle's decisions, else the densest other decisions."""
    for pol in ["oracle"] + sorted(runs, key=lambda p: -len(runs[p])):
        d = runs.get(pol)
        if d is not None and "true_rate_bps" in d.columns and len(d):
            return d[["time_s", "true_rate_bps"]].sort_values("time_s")
    return None


def _step(ax, t: np.ndarray, y: np.ndarray, t_end: float, **kw) -> None:
    """Step line holding each value until the next time (and the last one until t_end)."""
    if len(t) == 0:
        return
    t = np.append(t, max(t_end, t[-1]))
    y = np.append(y, y[-1])
    ax.step(t, y, where="post", **kw)


def _time_weighted_mean(t: np.ndarray, y: np.ndarray, t_end: float) -> float:
    t2 = np.append(t, max(t_end, t[-1]))
    w = np.diff(t2)
    return float(np.sum(w * y) / np.sum(w)) if np.sum(w) > 0 else float(y[0])


def _windowed_mean(finish: np.ndarray, lat: np.ndarray, t_end: float) -> tuple[np.ndarray, np.ndarray]:
    edges = np.arange(0.0, t_end + WINDOW_S, WINDOW_S)
    idx = np.digitize(finish, edges) - 1
    centers, means = [], []
    for k in range(len(edges) - 1):
        m = idx == k
        if m.any():
            centers.append((edges[k] + edges[k + 1]) / 2)
            means.append(lat[m].mean())
    return np.array(centers), np.array(means)


def plot_timeline(trace: str, runs: pd.DataFrame, camp: Path, outdir: Path) -> list[Path]:
    """One trace: rate, split and latency panels over time, from the smallest seed's runs."""
    seed = runs["seed"].min()
    sel = runs[(runs["seed"] == seed) & (runs["status"] == "ok")]
    decisions, images = {}, {}
    for _, r in sel.iterrows():
        d = _read_run(camp, r["run_id"], "decisions.csv")
        im = _read_run(camp, r["run_id"], "images.csv")
        if d is not None:
            decisions[r["policy"]] = d
        if im is not None:
            images[r["policy"]] = im
    if not decisions and not images:
        pp.log(f"warning: traces: {trace}: no run data; timeline not drawn")
        return []
    t_end = max([float(x) for x in sel.get("sim_time_s", pd.Series(dtype=float)).dropna()] +
                [float(im["finish_s"].max()) for im in images.values() if len(im)] + [1.0])

    fig, (ax_r, ax_s, ax_l) = plt.subplots(3, 1, figsize=(13, 9.5), sharex=True,
                                           gridspec_kw={"height_ratios": [1.0, 1.0, 1.3]})
    # (a) rate
    true = _true_rate(decisions)
    mean_rate = None
    if true is not None:
        src = "oracle" if "oracle" in decisions else "decisions"
        _step(ax_r, true["time_s"].to_numpy(float), true["true_rate_bps"].to_numpy(float) / 1e6, t_end,
              color="black", lw=1.3, label=f"true rate\n(from {src} decisions.csv)")
        mean_rate = _time_weighted_mean(true["time_s"].to_numpy(float), true["true_rate_bps"].to_numpy(float), t_end)
    dyn = decisions.get("dynamic")
    if dyn is not None and "estimated_rate_bps" in dyn.columns:
        _step(ax_r, dyn["time_s"].to_numpy(float), dyn["estimated_rate_bps"].to_numpy(float) / 1e6, t_end,
              color=_color("dynamic"), lw=1.6, ls="--", label="dynamic: Update Box\nestimate")
    ax_r.set_ylabel("Uplink rate (Mbit/s)")
    ax_r.set_ylim(bottom=0)
    ax_r.legend(loc="upper left", bbox_to_anchor=(1.01, 1.0), fontsize=8.5, frameon=False)
    ax_r.set_title("(a) Uplink rate: true vs. estimated", loc="left", fontsize=10)

    # (b) split
    all_dec = pd.concat([d for p, d in decisions.items() if p in TIMELINE_POLICIES] or [pd.DataFrame()])
    if not all_dec.empty:
        labels = pp.split_labels(all_dec)
        used = sorted(set(all_dec["split_index"].astype(int)))
        for pol in TIMELINE_POLICIES:
            d = decisions.get(pol)
            if d is None:
                continue
            n_changes = int(d["changed"].sum()) - 1 if "changed" in d.columns else None
            lab = pol + (f" ({n_changes} changes)" if n_changes is not None and pol != "static" else "")
            _step(ax_s, d["time_s"].to_numpy(float), d["split_index"].to_numpy(float) + SPLIT_OFFSETS[pol], t_end,
                  color=_color(pol), lw=1.6, ls=POLICY_STYLES[pol], label=lab)
        ax_s.set_yticks(used)
        ax_s.set_yticklabels([labels.get(i, str(i)) for i in used])
        ax_s.set_ylim(min(used) - 0.6, max(used) + 0.6)
        ax_s.grid(axis="y", alpha=0.5)
        ax_s.legend(loc="upper left", bbox_to_anchor=(1.01, 1.0), fontsize=8.5, frameon=False)
    ax_s.set_ylabel("Split after layer\n(input = cloud-only)")
    ax_s.set_title("(b) Split chosen by each policy (lines offset slightly to stay visible)", loc="left",
                   fontsize=10)

    # (c) latency
    lat_all = []
    for pol in TIMELINE_POLICIES:
        im = images.get(pol)
        if im is None or im.empty:
            continue
        f, lat = im["finish_s"].to_numpy(float), im["latency_s"].to_numpy(float) * 1e3
        lat_all.append(lat)
        ax_l.scatter(f, lat, s=5, color=_color(pol), alpha=0.35, linewidths=0, rasterized=True)
        c, m = _windowed_mean(f, lat, t_end)
        ax_l.plot(c, m, color=_color(pol), lw=1.8, ls=POLICY_STYLES[pol], marker="o", markersize=3,
                  label=f"{pol}: mean {lat.mean():.0f} ms")
    if lat_all:
        lat_all = np.concatenate(lat_all)
        pos = lat_all[lat_all > 0]
        if len(pos) and pos.max() / pos.min() > LOG_SPREAD:
            _log_axis(ax_l, "y", pos)
        ax_l.legend(loc="upper left", bbox_to_anchor=(1.01, 1.0), fontsize=8.5, frameon=False)
    ax_l.set_ylabel("Latency per image (ms)")
    ax_l.set_title(f"(c) Latency: one dot per image, line = mean over {WINDOW_S:g}-s windows", loc="left",
                   fontsize=10)
    ax_l.set_xlabel("Simulated time (s)")
    ax_l.set_xlim(0, t_end)

    info = []
    first = sel.iloc[0] if len(sel) else runs.iloc[0]
    if "dnn" in first and isinstance(first["dnn"], str):
        info.append(first["dnn"])
    if "gamma" in first and pd.notna(first["gamma"]):
        info.append(f"$\\gamma$ = {first['gamma']:g}")
    if mean_rate is not None:
        info.append(f"mean uplink {_rate_text(mean_rate)}")
    if runs["seed"].nunique() > 1:
        info.append(f"seed {seed}")
    fig.suptitle(f"Uplink trace {trace}: static vs. dynamic vs. oracle POPEX ({', '.join(info)})")
    fig.tight_layout()
    return pp.save_figure(fig, outdir, f"trace_timeline_{_slug(trace)}")


def plot_cdfs(df: pd.DataFrame, camp: Path, outdir: Path, traces: list[str], policies: list[str]) -> list[Path]:
    n = len(traces)
    ncols = min(3, n + 1)
    nrows = math.ceil((n + 1) / ncols)  # one spare cell for the legend when available
    fig, axes = plt.subplots(nrows, ncols, figsize=(4.6 * ncols, 3.6 * nrows), squeeze=False)
    flat = axes.ravel()
    handles = {}
    for ax, trace in zip(flat, traces):
        sub = df[(df["trace"] == trace) & (df["status"] == "ok")]
        lats = {}
        for pol in policies:
            frames = [_read_run(camp, r, "images.csv") for r in sub[sub["policy"] == pol]["run_id"]]
            frames = [f for f in frames if f is not None and len(f)]
            if frames:
                lats[pol] = np.sort(np.concatenate([f["latency_s"].to_numpy(float) for f in frames])) * 1e3
        for i, pol in enumerate(policies):
            if pol not in lats:
                continue
            x = lats[pol]
            y = np.arange(1, len(x) + 1) / len(x)
            (h,) = ax.step(x, y, where="post", color=_color(pol, i), ls=POLICY_STYLES.get(pol, "-"),
                           lw={"cloud-only": 3.6, "static": 2.2}.get(pol, 1.7),
                           zorder={"cloud-only": 2, "static": 3}.get(pol, 4), label=pol)
            handles.setdefault(pol, h)
        allx = np.concatenate(list(lats.values())) if lats else np.array([])
        pos = allx[allx > 0]
        if len(pos) and pos.max() / pos.min() > LOG_SPREAD:
            _log_axis(ax, "x", pos)
        ax.set_title(trace, fontsize=10)
        ax.set_xlabel("Latency per image (ms)" + (", log scale" if ax.get_xscale() == "log" else ""))
        ax.set_ylabel("Fraction of images (CDF)")
        ax.set_ylim(0, 1.02)
    spare = flat[n:]
    for ax in spare:
        ax.axis("off")
    leg_handles = [handles[p] for p in policies if p in handles]
    if spare.size:
        spare[0].legend(leg_handles, [h.get_label() for h in leg_handles], loc="center", title="Policy",
                        fontsize=10, title_fontsize=10, frameon=False)
    else:
        fig.legend(leg_handles, [h.get_label() for h in leg_handles], loc="lower center", ncol=len(leg_handles))
    fig.suptitle("Latency distribution per policy on each uplink trace")
    fig.tight_layout()
    return pp.save_figure(fig, outdir, "trace_latency_cdf")


def _provenance(camp: Path, df: pd.DataFrame) -> str:
    name, cfile = None, None
    log = camp / "campaign.log"
    if log.is_file():
        for line in log.read_text(errors="replace").splitlines():
            m = re.search(r"start campaign '([^']*)' file (\S+)", line)
            if m:
                name, cfile = m.group(1), m.group(2)
                break
    if name is None:
        res = camp / "campaign.resolved.yaml"
        if res.is_file():
            m = re.search(r"^name:\s*(\S+)", res.read_text(), re.M)
            name = m.group(1) if m else None
    seeds = sorted(df["seed"].unique())
    cmd = f"popex-sim campaign {cfile or 'CAMPAIGN.yaml'} --out {camp}"
    run_paper = Path(__file__).resolve().parent / "run_paper.sh"
    part = ""
    if cfile and run_paper.is_file() and cfile in run_paper.read_text(errors="replace"):
        part = " (part of `analysis/run_paper.sh`)"
    return (f"Campaign `{name or camp.name}` ({len(df)} runs, seed{'s' if len(seeds) > 1 else ''} "
            f"{', '.join(str(s) for s in seeds)}), produced by `{cmd}`{part}; "
            f"table by `analysis/trace_figures.py` from its `summary.csv`.")


def make_table(df: pd.DataFrame, camp: Path, traces: list[str], policies: list[str]) -> str:
    lines = ["| trace | " + " | ".join(policies) + " |", "|---|" + "---:|" * len(policies)]
    for trace in traces:
        cells = []
        for pol in policies:
            runs = df[(df["trace"] == trace) & (df["policy"] == pol)]
            ok = runs[runs["status"] == "ok"]
            if ok.empty:
                cells.append("failed" if len(runs) else "-")
                continue
            cell = f"{ok['mean_latency_s'].mean() * 1e3:.1f} / {ok['p95_latency_s'].mean() * 1e3:.1f}"
            if "timed_out" in ok.columns and (ok["timed_out"].fillna(0).astype(float) > 0).any():
                cell += " (timed out)"
            if len(ok) < len(runs):
                cell += f" ({len(runs) - len(ok)} failed)"
            cells.append(cell)
        lines.append(f"| {trace} | " + " | ".join(cells) + " |")
    avg = " (each averaged over the seeds)" if df["seed"].nunique() > 1 else ""
    head = f"Latency per image, mean / p95 in ms{avg}, per uplink trace (rows) and policy (columns)."
    return "\n".join([head, "", *lines, "", _provenance(camp, df), ""])


def _summary_line(df: pd.DataFrame, traces: list[str]) -> str:
    ok = df[df["status"] == "ok"]
    m = ok.groupby(["trace", "policy"])["mean_latency_s"].mean()
    parts = []
    for t in traces:
        try:
            s, d, o = m[(t, "static")], m[(t, "dynamic")], m[(t, "oracle")]
        except KeyError:
            continue
        parts.append(f"{t} {(d - s) / s * 100:+.1f}% vs static, {(d - o) / o * 100:+.1f}% vs oracle")
    if not parts:
        return "traces: no trace with static, dynamic and oracle runs"
    return "traces: dynamic mean latency: " + "; ".join(parts)


def make_trace_figures(summary_csv: str | Path, outdir: str | Path) -> list[Path]:
    pp.setup_style()
    summary_csv, outdir = Path(summary_csv), Path(outdir)
    camp = summary_csv.parent
    df = load_campaign(summary_csv)
    traces = list(dict.fromkeys(df["trace"]))
    policies = list(dict.fromkeys(df["policy"]))
    for (t, p), g in df[df["status"] != "ok"].groupby(["trace", "policy"]):
        pp.log(f"warning: traces: {t}, {p}: {len(g)} failed run(s): {'; '.join(g['reason'].astype(str))}")
    paths: list[Path] = []
    for trace in traces:
        paths += plot_timeline(trace, df[df["trace"] == trace], camp, outdir)
    paths += plot_cdfs(df, camp, outdir, traces, policies)
    table = make_table(df, camp, traces, policies)
    outdir.mkdir(parents=True, exist_ok=True)
    tpath = outdir / TABLE_NAME
    tpath.write_text(table)
    pp.log(f"wrote {tpath}")
    paths.append(tpath)
    print(table, end="")
    print(_summary_line(df, traces))
    return paths


def main(argv: list[str] | None = None) -> int:
    return pp.figure_main(argv, "Timelines, latency CDFs and a mean/p95 table from a trace campaign.", "summary_csv",
                          "campaign summary.csv (uplink.trace x policy), with runs/<id>/ beside it", make_trace_figures)


if __name__ == "__main__":
    sys.exit(main())
