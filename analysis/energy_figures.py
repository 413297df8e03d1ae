#!/usr/bin/python3
"""Energy and accuracy objectives (docs/model.md, "Energy" and "Objectives"): what a joule, a millisecond and an
accuracy point cost each other. The energy is the device's per image (its battery): compute at busy_w (5 W) plus
its radio after Huang et al. (MobiSys 2012), whose LTE tail (1.06 W for 11.576 s = 12.3 J per offload) dominates.

Four inputs, all written by analysis/run_paper.sh:

  * energy_pareto.csv: every (threshold, split) row of `popex-sim solve ... --busy-w 5 --format csv` (not
    --chosen-only) for B-AlexNet (thresholds 0.5:0.99:0.01) and MobileNetV2 (0.7:0.9:0.05) at gamma 30 on 3G, LTE
    and WiFi (--uplink 3g,4g,wifi: each preset's rate and radio), in one CSV with the union of their columns.
    Gamma 30 is where the fronts are interesting: at gamma 10 the device is so fast that the latency- and the
    energy-optimal rows are one row on 5 of the 6 (DNN, radio) pairs (all but B-AlexNet on LTE), and at 100
    MobileNetV2's are one row on 3G and WiFi; at 30 both DNNs trade on LTE, and B-AlexNet on 3G too. It is also the
    gamma of the paper-traces campaign.
    It needs dnn, gamma, uplink_bps, threshold, split_index, split_after, expected_time_s, expected_energy_j and
    expected_accuracy.
    Output: energy_pareto.png/.pdf, one panel per DNN, latency against energy per image (log-log), one colour per
    radio: every row faint, the Pareto front over (split, threshold) bold, the latency- and energy-optimal rows
    marked and named (split @ threshold); a dashed line is the front at the DNN's default threshold 0.8. A lower
    threshold exits more images early, which saves both time and energy, so the full front sits at the lowest
    threshold: what it costs is accuracy (the fourth figure). One stdout line: per DNN and radio, both optima.
  * energy_gamma.csv: `popex-sim solve --dnn workloads/dnn/b-alexnet.yaml --threshold 0.8 --gamma G1,G2,...
    --uplink 3g,4g,wifi --busy-w 5 --objective latency|energy --chosen-only --format csv`, both objectives with one
    header. It needs gamma, uplink_bps, objective, split_index, split_after, expected_time_s and expected_energy_j.
    Output: energy_vs_gamma.png/.pdf, panels (a) energy per image, (b) E[T] of the chosen split against gamma (log
    axes), solid for the energy objective and dashed for the latency objective, one colour per radio; (c) the
    chosen splits. One stdout line per radio: on how much of the gamma grid the objectives agree, and the largest
    energy saving of the energy objective with the latency it costs there.
  * energy-trace/summary.csv: the campaign workloads/campaigns/paper-energy-trace.yaml, B-AlexNet
    at gamma 50 with an LTE radio on two LTE uplink traces, Poisson arrivals at 0.3 images/s, policy static or
    dynamic x objective latency or energy, 3 seeds. It needs uplink.trace, policy, objective, status, images,
    mean_latency_s, mean_energy_j, mean_compute_energy_j, mean_radio_energy_j, analytic_expected_time_s,
    analytic_expected_energy_j, device_compute_energy_total_j, device_radio_energy_total_j and probes.
    Output: energy_trace.png/.pdf, (a) mean latency against the mean energy per image with 95% CIs across seeds
    (Student t), simulated (filled) and analytic at t = 0 (hollow, one full tail per offload), one colour per
    (policy, objective), one marker per trace; (b) the device's energy over the whole run divided by its images:
    the images' compute and radio, the idle compute (idle_w between images) and the radio spent outside the
    images' own transfers and tails (probes, and the last tail of the run), stacked. One stdout line per trace.
  * accuracy_cost.csv: `popex-sim solve --gamma 30 --uplink 3g,4g,wifi --busy-w 5 --accuracy-min A --chosen-only
    --format csv` for each target A (every accuracy the DNN's rows reach, rounded down to 1e-6, then two above the
    best), both DNNs, one CSV. It needs dnn, uplink_bps, accuracy_min, feasible, expected_time_s, expected_energy_j
    and expected_accuracy.
    Output: energy_accuracy_cost.png/.pdf, one row per DNN: E[T] and energy per image of the latency-optimal
    (threshold, split) meeting the target, against the target (a step: each target costs what its next reachable
    accuracy does), infeasible targets shaded and their least-violating choice marked x. One stdout line: per DNN
    and radio, the cost at the lowest target and at the best feasible one.

Run alone (the input is told apart by its columns):

    /usr/bin/python3 analysis/energy_figures.py results/paper/energy_pareto.csv results/paper/figures
    /usr/bin/python3 analysis/energy_figures.py results/paper/energy_gamma.csv results/paper/figures
    /usr/bin/python3 analysis/energy_figures.py results/paper/energy-trace/summary.csv results/paper/figures
    /usr/bin/python3 analysis/energy_figures.py results/paper/accuracy_cost.csv results/paper/figures
"""

from __future__ import annotations

import sys
from pathlib import Path

import numpy as np
import pandas as pd

sys.path.insert(0, str(Path(__file__).resolve().parent))
import popex_plot as pp  # noqa: E402
from popex_plot import plt  # noqa: E402
from matplotlib.lines import Line2D  # noqa: E402
from matplotlib.patches import Patch  # noqa: E402
from matplotlib.ticker import FuncFormatter, LogLocator, NullFormatter  # noqa: E402

PARETO_REQUIRED = ("dnn", "gamma", "uplink_bps", "threshold", "split_index", "split_after", "expected_time_s",
                   "expected_energy_j", "expected_accuracy")
GAMMA_REQUIRED = ("gamma", "uplink_bps", "objective", "split_index", "split_after", "expected_time_s",
                  "expected_energy_j")
TRACE_REQUIRED = ("uplink.trace", "policy", "objective", "status", "images", "mean_latency_s", "mean_energy_j",
                  "mean_compute_energy_j", "mean_radio_energy_j", "analytic_expected_time_s",
                  "analytic_expected_energy_j", "device_compute_energy_total_j", "device_radio_energy_total_j",
                  "probes")
ACCURACY_REQUIRED = ("dnn", "uplink_bps", "accuracy_min", "feasible", "expected_time_s", "expected_energy_j",
                     "expected_accuracy")
PARETO_STEM = "energy_pareto"
GAMMA_STEM = "energy_vs_gamma"
TRACE_STEM = "energy_trace"
ACCURACY_STEM = "energy_accuracy_cost"
DEFAULT_THRESHOLD = 0.8
#: The radio presets by name, in the order drawn (popex_plot's technology colours: LTE is its 4G).
RADIOS = ["3G", "LTE", "WiFi"]
#: Student's t(0.975, n - 1) for n = 2..10 seeds; 1.96 beyond.
T975 = {2: 12.706, 3: 4.303, 4: 3.182, 5: 2.776, 6: 2.571, 7: 2.447, 8: 2.365, 9: 2.306, 10: 2.262}


def _radio(uplink_bps: float) -> str:
    """'3G', 'LTE', 'WiFi' for the presets' rates (whose radio model solve uses by default), else the rate."""
    label = pp.technology_label(uplink_bps)
    return "LTE" if label == "4G" else label


def _radio_color(radio: str, i: int = 0) -> str:
    return pp.tech_color("4G" if radio == "LTE" else radio, i)


def _radio_order(df: pd.DataFrame) -> list[float]:
    """The uplink rates of ``df``, in the order 3G, LTE, WiFi, then the others by rate."""
    rates = sorted(df["uplink_bps"].unique())
    return sorted(rates, key=lambda r: (RADIOS.index(_radio(r)) if _radio(r) in RADIOS else len(RADIOS), r))


def _hold_one(df: pd.DataFrame, column: str, prefer: float, csv_path: str | Path) -> tuple[pd.DataFrame, float]:
    """Keep the rows of one value of ``column``: ``prefer`` when present, else the smallest (with a note)."""
    values = pp.unique_close(df[column])
    value = prefer if any(np.isclose(v, prefer) for v in values) else values[0]
    if len(values) > 1:
        pp.log(f"note: {csv_path}: several {column} values; drawing {column} = {value:g}")
    return df[pp.isclose_mask(df[column], value)], value


def _plain_log_ticks(ax: plt.Axes, axis: str = "both") -> None:
    """Label a log axis at 1, 2 and 5 times the powers of ten, in plain numbers (0.5, 1, 2, 5, 10, ...)."""
    for which in ("x", "y") if axis == "both" else (axis,):
        a = ax.xaxis if which == "x" else ax.yaxis
        a.set_major_locator(LogLocator(base=10, subs=(1.0, 2.0, 5.0)))
        a.set_major_formatter(FuncFormatter(lambda v, _: f"{v:g}"))
        a.set_minor_formatter(NullFormatter())


def _dnn_order(df: pd.DataFrame) -> list[str]:
    return sorted(df["dnn"].unique(), key=lambda d: (not str(d).startswith("b-alexnet"), str(d)))


# --------------------------------------------------------------------------------------------------- Pareto

def pareto_front(d: pd.DataFrame, x: str = "expected_time_s", y: str = "expected_energy_j") -> pd.DataFrame:
    """The rows of ``d`` no other row beats on both ``x`` and ``y`` (one row per point; ties to the first)."""
    s = d.sort_values([x, y], kind="stable")
    best = s[y].cummin().shift(fill_value=np.inf)
    return s[s[y] < best]


def _row_name(row: pd.Series) -> str:
    return f"{row['split_after']} @ {row['threshold']:g}"


def _mark_optima(ax: plt.Axes, optima: list) -> None:
    """Mark each radio's latency-optimal (star) and energy-optimal (diamond) row, and name each point once.

    Rows that coincide (the device-only split is the same on every radio; one row can be both optima) get
    nested markers, the first drawn largest, and one label saying which radios and roles it stands for.
    """
    points: dict[tuple, list] = {}
    for radio, color, role, row in optima:
        key = (round(row["expected_time_s"], 12), round(row["expected_energy_j"], 12), _row_name(row))
        points.setdefault(key, []).append((radio, color, role))
    for (t, e, name), who in points.items():
        for k, (radio, color, role) in enumerate(who):
            star = role == "latency-optimal"
            ax.scatter([t * 1e3], [e], marker="*" if star else "D", s=(230 if star else 75) * 0.5 ** k, color=color,
                       edgecolor="black", lw=0.8, zorder=5 + k)
        radios = list(dict.fromkeys(r for r, _, _ in who))
        roles = {r: [ro for rr, _, ro in who if rr == r] for r in radios}
        groups: dict[str, list] = {}
        for r in radios:
            groups.setdefault("both optima" if len(roles[r]) == 2 else roles[r][0], []).append(r)
        text = f"{name}: " + "; ".join(f"{role} on {', '.join(rs)}" for role, rs in groups.items())
        color = who[0][1] if len(radios) == 1 else "black"
        fast = all(ro == "latency-optimal" for _, _, ro in who)
        ax.annotate(text, (t * 1e3, e), xytext=(9, 5) if fast else (9, -12), textcoords="offset points",
                    ha="left", fontsize=7.5, color=color, zorder=9,
                    bbox=dict(boxstyle="round,pad=0.15", fc="white", ec="none", alpha=0.85))


def make_energy_pareto(csv_path: str | Path, outdir: str | Path) -> list[Path]:
    """energy_pareto: latency against energy per image over every (split, threshold), one panel per DNN."""
    df = pp.read_csv(csv_path, PARETO_REQUIRED, chosen_only=False)
    df, gamma = _hold_one(df, "gamma", 30.0, csv_path)
    dnns = _dnn_order(df)
    pp.setup_style()
    fig, axes = plt.subplots(1, len(dnns), figsize=(6.6 * len(dnns), 5.4), squeeze=False, constrained_layout=True)
    numbers = []
    for ax, dnn in zip(axes[0], dnns):
        dd = df[df["dnn"] == dnn]
        optima = []  # (radio, colour, role, row)
        for i, rate in enumerate(_radio_order(dd)):
            d = dd[pp.isclose_mask(dd["uplink_bps"], rate)]
            radio, color = _radio(rate), _radio_color(_radio(rate), i)
            t, e = d["expected_time_s"] * 1e3, d["expected_energy_j"]
            ax.scatter(t, e, s=7, color=color, alpha=0.18, lw=0, zorder=1)
            front = pareto_front(d)
            ax.plot(front["expected_time_s"] * 1e3, front["expected_energy_j"], "-o", color=color, lw=2.4, ms=4.5,
                    zorder=3, label=f"{radio} ({pp.format_rate(rate)})")
            at_default = d[pp.isclose_mask(d["threshold"], DEFAULT_THRESHOLD)]
            if not at_default.empty:
                f8 = pareto_front(at_default)
                ax.plot(f8["expected_time_s"] * 1e3, f8["expected_energy_j"], "--", color=color, lw=1.2, zorder=2)
            fast, frugal = front.iloc[0], front.iloc[-1]
            optima.append((radio, color, "latency-optimal", fast))
            optima.append((radio, color, "energy-optimal", frugal))
            numbers.append(
                f"{dnn} {radio}: latency-optimal {_row_name(fast)} {fast['expected_time_s'] * 1e3:.0f} ms "
                f"{fast['expected_energy_j']:.2f} J, energy-optimal {_row_name(frugal)} "
                f"{frugal['expected_time_s'] * 1e3:.0f} ms {frugal['expected_energy_j']:.2f} J "
                f"({len(front)} on the front)")
        _mark_optima(ax, optima)
        ax.set_xscale("log")
        ax.set_yscale("log")
        ax.margins(0.06)
        _plain_log_ticks(ax)
        ax.grid(True, which="both", alpha=0.25)
        ax.set_xlabel("E[T] per image (ms)")
        ax.set_ylabel("device energy per image (J)")
        thresholds = pp.unique_close(dd["threshold"].dropna())
        ax.set_title(f"{dnn}: {dd['split_index'].nunique()} splits x {len(thresholds)} thresholds "
                     f"({thresholds[0]:g}..{thresholds[-1]:g})")
    handles, labels = axes[0][0].get_legend_handles_labels()
    handles += [Line2D([], [], color="grey", lw=2.4, marker="o", ms=4.5),
                Line2D([], [], color="grey", lw=1.2, ls="--"),
                Line2D([], [], color="grey", marker="o", ls="", ms=3, alpha=0.4),
                Line2D([], [], color="grey", marker="*", ls="", ms=13, mec="black"),
                Line2D([], [], color="grey", marker="D", ls="", ms=7, mec="black")]
    labels += ["Pareto front over (split, threshold)", f"front at threshold {DEFAULT_THRESHOLD:g}",
               "every (split, threshold)", "latency-optimal", "energy-optimal"]
    fig.legend(handles, labels, loc="upper center", bbox_to_anchor=(0.5, 0.0), ncol=4, fontsize=8.5)
    fig.suptitle(f"Latency against device energy per image, gamma {gamma:g}, device 5 W busy, "
                 "radios after Huang et al. 2012 (one full tail per offload)")
    print(f"{PARETO_STEM}: gamma {gamma:g}: " + "; ".join(numbers))
    return pp.save_figure(fig, outdir, PARETO_STEM)


# --------------------------------------------------------------------------------------------------- gamma

def make_energy_vs_gamma(csv_path: str | Path, outdir: str | Path) -> list[Path]:
    """energy_vs_gamma: energy and E[T] of the latency- and energy-optimal splits against gamma, per radio."""
    df = pp.read_csv(csv_path, GAMMA_REQUIRED)
    objectives = [o for o in ("latency", "energy") if o in set(df["objective"])]
    if objectives != ["latency", "energy"]:
        raise pp.AnalysisError(f"{csv_path}: needs both objectives, latency and energy; has "
                               f"{', '.join(sorted(df['objective'].unique()))}")
    if df.duplicated(["objective", "uplink_bps", "gamma"]).any():
        raise pp.AnalysisError(f"{csv_path}: several chosen rows for one (objective, uplink, gamma): hold every other "
                               "input fixed")
    labels = pp.split_labels(df)
    pp.setup_style()
    fig, axes = plt.subplots(1, 3, figsize=(15.5, 4.6), constrained_layout=True)
    rates = _radio_order(df)
    numbers, agreement = [], []
    for i, rate in enumerate(rates):
        radio, color = _radio(rate), _radio_color(_radio(rate), i)
        d = {o: df[(df["objective"] == o) & pp.isclose_mask(df["uplink_bps"], rate)].set_index("gamma").sort_index()
             for o in objectives}
        lat, en = d["latency"], d["energy"]
        common = lat.index.intersection(en.index)
        lat, en = lat.loc[common], en.loc[common]
        for o, ls, lw in (("latency", "--", 1.6), ("energy", "-", 2.4)):
            s = d[o].loc[common]
            axes[0].plot(s.index, s["expected_energy_j"], ls=ls, lw=lw, color=color)
            axes[1].plot(s.index, s["expected_time_s"] * 1e3, ls=ls, lw=lw, color=color)
            offset = (i - 1) * 0.09 + (0.03 if o == "latency" else -0.03)
            axes[2].step(s.index, s["split_index"] + offset, where="post", ls=ls, lw=lw, color=color)
        agree = (lat["split_index"] == en["split_index"]).to_numpy()
        agreement.append(f"{radio}: {agree.mean() * 100:.0f}%")
        ratio = (lat["expected_energy_j"] / en["expected_energy_j"]).to_numpy()
        k = int(np.argmax(ratio))
        g = common[k]
        numbers.append(
            f"{radio}: same split on {agree.mean() * 100:.0f}% of the grid; largest saving at gamma {g:g}: "
            f"{en['split_after'].iloc[k]} {en['expected_energy_j'].iloc[k]:.2f} J "
            f"{en['expected_time_s'].iloc[k] * 1e3:.0f} ms against latency's {lat['split_after'].iloc[k]} "
            f"{lat['expected_energy_j'].iloc[k]:.2f} J {lat['expected_time_s'].iloc[k] * 1e3:.0f} ms "
            f"({(1 - 1 / ratio[k]) * 100:.0f}% less energy, "
            f"{(en['expected_time_s'].iloc[k] / lat['expected_time_s'].iloc[k] - 1) * 100:+.0f}% latency)")
    for ax in axes:
        ax.set_xscale("log")
        ax.set_xlabel(r"$\gamma$: device time / cloud time")
        ax.grid(True, which="both", alpha=0.25)
    axes[0].set_yscale("log")
    axes[1].set_yscale("log")
    for ax in axes[:2]:
        _plain_log_ticks(ax)
    axes[2].xaxis.set_major_formatter(FuncFormatter(lambda v, _: f"{v:g}"))
    axes[1].text(0.98, 0.03, "same split under both objectives on\n" + ", ".join(agreement) + " of the gamma grid",
                 transform=axes[1].transAxes, ha="right", va="bottom", fontsize=8,
                 bbox=dict(boxstyle="round,pad=0.3", fc="white", ec="none", alpha=0.85))
    axes[0].set_ylabel("device energy per image (J)")
    axes[1].set_ylabel("E[T] per image (ms)")
    axes[0].set_title("(a) energy of the chosen split")
    axes[1].set_title("(b) latency of the chosen split")
    axes[2].set_title("(c) the chosen split")
    pp.set_split_ticks(axes[2], labels, int(df["split_index"].min()), int(df["split_index"].max()))
    axes[2].set_ylabel("split after (input = cloud-only)")
    handles = [Line2D([], [], color=_radio_color(_radio(r), i), lw=2.4, label=f"{_radio(r)} ({pp.format_rate(r)})")
               for i, r in enumerate(rates)]
    handles += [Line2D([], [], color="grey", lw=2.4, label="energy objective"),
                Line2D([], [], color="grey", lw=1.6, ls="--", label="latency objective")]
    axes[0].legend(handles=handles, fontsize=8)
    dnn = df["dnn"].iloc[0] if "dnn" in df else "DNN"
    thresholds = pp.unique_close(df["threshold"].dropna()) if "threshold" in df else []
    threshold = f", threshold {thresholds[0]:g}" if len(thresholds) == 1 else ""
    fig.suptitle(f"Minimising energy or latency: {dnn}{threshold}, device 5 W busy, radios after Huang et al. 2012")
    print(f"{GAMMA_STEM}: " + "; ".join(numbers))
    return pp.save_figure(fig, outdir, GAMMA_STEM)


# --------------------------------------------------------------------------------------------------- trace

def _ci95(values: pd.Series) -> float:
    """Half-width of the 95% confidence interval of the mean (Student t), 0 for one value."""
    n = int(values.count())
    if n < 2:
        return 0.0
    return T975.get(n, 1.96) * float(values.std(ddof=1)) / np.sqrt(n)


def _config_label(policy: str, objective: str) -> str:
    return f"{policy}, {objective}"


def make_energy_trace(csv_path: str | Path, outdir: str | Path) -> list[Path]:
    """energy_trace: static and dynamic POPEX minimising latency or energy on LTE traces."""
    df = pp.read_csv(csv_path, TRACE_REQUIRED)
    failed = df[df["status"] != "ok"]
    if len(failed):
        pp.log(f"warning: {csv_path}: {len(failed)} failed run(s) left out")
    df = df[df["status"] == "ok"].copy()
    if df.empty:
        raise pp.AnalysisError(f"{csv_path}: no successful run")
    df["trace"] = df["uplink.trace"].astype(str).map(lambda p: Path(p).name.removesuffix(".profile"))
    # The device's energy over the run, per image: the images' own, the idle compute, the rest of the radio.
    df["idle_j"] = df["device_compute_energy_total_j"] / df["images"] - df["mean_compute_energy_j"]
    df["other_radio_j"] = df["device_radio_energy_total_j"] / df["images"] - df["mean_radio_energy_j"]
    df["device_per_image_j"] = (df["device_compute_energy_total_j"] + df["device_radio_energy_total_j"]) / df["images"]
    configs = [(p, o) for p in ("static", "dynamic") for o in ("latency", "energy")
               if ((df["policy"] == p) & (df["objective"] == o)).any()]
    configs += sorted({(p, o) for p, o in zip(df["policy"], df["objective"])} - set(configs))
    traces = sorted(df["trace"].unique())
    colors = {c: f"C{i}" for i, c in enumerate(configs)}
    markers = {t: pp.MARKERS[i % len(pp.MARKERS)] for i, t in enumerate(traces)}

    pp.setup_style()
    fig, axes = plt.subplots(1, 2, figsize=(14, 5.2), constrained_layout=True,
                             gridspec_kw=dict(width_ratios=[1.0, 1.15]))
    ax = axes[0]
    lines = []
    drawn: dict[tuple, list] = {}  # (latency, energy) rounded -> the points drawn there
    for trace in traces:
        parts = []
        for policy, objective in configs:
            d = df[(df["trace"] == trace) & (df["policy"] == policy) & (df["objective"] == objective)]
            if d.empty:
                continue
            c = colors[(policy, objective)]
            lat, en = d["mean_latency_s"].mean() * 1e3, d["mean_energy_j"].mean()
            # Configurations may coincide (static and dynamic both keep every image on the device when minimising
            # energy): earlier ones are larger, so all stay visible.
            k = configs.index((policy, objective))
            ax.errorbar([lat], [en], xerr=[_ci95(d["mean_latency_s"]) * 1e3], yerr=[_ci95(d["mean_energy_j"])],
                        marker=markers[trace], ms=13 - 2 * k, color=c, mec="black", mew=0.6, capsize=3,
                        elinewidth=2.6 - 0.5 * k, ls="", zorder=4 + k)
            ax.scatter([d["analytic_expected_time_s"].mean() * 1e3], [d["analytic_expected_energy_j"].mean()],
                       marker=markers[trace], s=(13 - 2 * k) ** 2, facecolor="none", edgecolor=c, lw=1.4,
                       zorder=3)
            drawn.setdefault((round(lat, 6), round(en, 6)), []).append((f"{policy}/{objective}", trace))
            parts.append(f"{policy}/{objective} {lat:.0f} ms {en:.2f} J per image "
                         f"(analytic {d['analytic_expected_energy_j'].mean():.2f} J), device "
                         f"{d['device_per_image_j'].mean():.2f} J per image with {d['probes'].mean():.0f} probes")
        lines.append(f"{trace}: " + ", ".join(parts))
    same = [points for points in drawn.values() if len(points) > 1]
    if same:
        key = df["policy"] + "/" + df["objective"]
        offload = "offload_fraction" in df and all(
            df[[(k, t) in points for k, t in zip(key, df["trace"])]]["offload_fraction"].max() == 0 for points in same)
        text = ["coincide (same arrivals and exits" + (", no image offloaded" if offload else "") + "):"]
        for points in same:
            configs_here = " and ".join(dict.fromkeys(c for c, _ in points))
            traces_here = " and ".join(dict.fromkeys(t for _, t in points))
            text.append(f"{configs_here}\non {traces_here}")
        ax.text(0.98, 0.03, "\n".join(text), transform=ax.transAxes, ha="right", va="bottom", fontsize=7.5,
                bbox=dict(boxstyle="round,pad=0.3", fc="white", ec="none", alpha=0.85))
    ax.set_xlabel("mean latency (ms)")
    ax.set_ylabel("mean device energy per image (J)")
    ax.set_title("(a) per image: simulated (filled, 95% CI) and analytic at t = 0 (hollow)")
    ax.set_ylim(bottom=0)
    handles = [Patch(color=colors[c], label=_config_label(*c)) for c in configs]
    handles += [Line2D([], [], marker=markers[t], color="grey", mec="black", ls="", ms=8, label=t) for t in traces]
    handles += [Line2D([], [], marker="o", color="grey", mfc="none", ls="", ms=8,
                       label="analytic at t = 0 (one full tail per offload)")]
    ax.legend(handles=handles, fontsize=8, title="policy, objective", title_fontsize=8.5)

    ax = axes[1]
    parts = [("mean_compute_energy_j", "images: compute (busy)", 1.0),
             ("mean_radio_energy_j", "images: radio (transfers, promotion, tail)", 0.75),
             ("idle_j", "device idle (compute at idle_w)", 0.4),
             ("other_radio_j", "radio outside the images (probes, last tail)", 0.25)]
    width = 0.8 / len(configs)
    hatches = ["", "", "..", "//"]
    for j, trace in enumerate(traces):
        for k, config in enumerate(configs):
            d = df[(df["trace"] == trace) & (df["policy"] == config[0]) & (df["objective"] == config[1])]
            if d.empty:
                continue
            x = j + (k - (len(configs) - 1) / 2) * width
            bottom = 0.0
            for (col, _, alpha), hatch in zip(parts, hatches):
                v = max(float(d[col].mean()), 0.0)
                ax.bar(x, v, width * 0.92, bottom=bottom, color=colors[config], alpha=alpha, hatch=hatch,
                       edgecolor="black", lw=0.4)
                bottom += v
            ax.text(x, bottom, f"{bottom:.1f}", ha="center", va="bottom", fontsize=7.5)
    ax.set_xticks(range(len(traces)))
    ax.set_xticklabels(traces)
    ax.set_ylabel("device energy over the run / images (J)")
    ax.set_title("(b) the device's whole energy, per image")
    ax.legend(handles=[Patch(facecolor="grey", alpha=a, hatch=h, edgecolor="black", label=lab)
                       for (_, lab, a), h in zip(parts, hatches)], fontsize=8, loc="upper left")
    ax.set_ylim(0, ax.get_ylim()[1] * 1.25)
    first = df.iloc[0]
    gamma = f"gamma {first['gamma']:g}, " if "gamma" in df else ""
    seeds = int(df["seed"].nunique()) if "seed" in df else 1
    fig.suptitle(f"Minimising latency or energy on LTE uplink traces: {first.get('dnn', 'DNN')}, {gamma}LTE radio, "
                 f"{seeds} seeds (workloads/campaigns/paper-energy-trace.yaml)")
    print(f"{TRACE_STEM}: " + "; ".join(lines))
    return pp.save_figure(fig, outdir, TRACE_STEM)


# --------------------------------------------------------------------------------------------------- accuracy

def make_accuracy_cost(csv_path: str | Path, outdir: str | Path) -> list[Path]:
    """energy_accuracy_cost: E[T] and energy of the latency-optimal choice against the accuracy target."""
    df = pp.read_csv(csv_path, ACCURACY_REQUIRED)
    if "gamma" in df:
        df, gamma = _hold_one(df, "gamma", 30.0, csv_path)
    dnns = _dnn_order(df)
    pp.setup_style()
    fig, axes = plt.subplots(len(dnns), 2, figsize=(12.5, 4.0 * len(dnns)), squeeze=False, constrained_layout=True)
    numbers = []
    for row, dnn in zip(axes, dnns):
        dd = df[df["dnn"] == dnn]
        feasible = dd["feasible"].astype(float) > 0
        best = dd.loc[feasible, "accuracy_min"].max() if feasible.any() else dd["accuracy_min"].min()
        lo, hi = dd["accuracy_min"].min(), dd["accuracy_min"].max()
        for i, rate in enumerate(_radio_order(dd)):
            d = dd[pp.isclose_mask(dd["uplink_bps"], rate)].sort_values("accuracy_min")
            radio, color = _radio(rate), _radio_color(_radio(rate), i)
            ok = d[d["feasible"].astype(float) > 0]
            bad = d[d["feasible"].astype(float) <= 0]
            for ax, col, scale in ((row[0], "expected_time_s", 1e3), (row[1], "expected_energy_j", 1.0)):
                ax.plot(ok["accuracy_min"] * 100, ok[col] * scale, drawstyle="steps-pre", color=color, lw=2.0,
                        label=f"{radio} ({pp.format_rate(rate)})")
                ax.plot(ok["accuracy_min"] * 100, ok[col] * scale, "o", color=color, ms=2.5)
                ax.plot(bad["accuracy_min"] * 100, bad[col] * scale, "x", color=color, ms=7, mew=1.6)
            # Name the split where it changes along the curve (the threshold rises with the target throughout).
            changes = ok[ok["split_after"] != ok["split_after"].shift()]
            for j, (_, r) in enumerate(changes.iterrows()):
                first = j == 0  # its step starts at the axis: write it rightwards
                row[0].annotate(r["split_after"], (r["accuracy_min"] * 100, r["expected_time_s"] * 1e3),
                                xytext=(3 if first else -3, 4), textcoords="offset points",
                                ha="left" if first else "right", va="bottom", fontsize=7, color=color,
                                bbox=dict(boxstyle="round,pad=0.1", fc="white", ec="none", alpha=0.7))
            if ok.empty:
                numbers.append(f"{dnn} {radio}: no feasible target")
                continue
            a, b = ok.iloc[0], ok.iloc[-1]
            numbers.append(
                f"{dnn} {radio}: target {a['accuracy_min'] * 100:.1f}% -> {a['split_after']} @ "
                f"{a['threshold']:g} {a['expected_time_s'] * 1e3:.0f} ms {a['expected_energy_j']:.2f} J; best "
                f"{b['expected_accuracy'] * 100:.2f}% -> {b['split_after']} @ {b['threshold']:g} "
                f"{b['expected_time_s'] * 1e3:.0f} ms {b['expected_energy_j']:.2f} J")
        for ax, ylabel in zip(row, ["E[T] per image (ms)", "device energy per image (J)"]):
            ax.axvspan(best * 100, hi * 100 + 0.5, color="grey", alpha=0.15, lw=0)
            ax.set_xlim(lo * 100 - 0.3, hi * 100 + 0.3)
            ax.set_yscale("log")
            ax.margins(y=0.08)
            _plain_log_ticks(ax, "y")
            ax.grid(True, which="both", alpha=0.25)
            ax.set_xlabel("accuracy target (%): expected accuracy >= target")
            ax.set_ylabel(ylabel)
        row[0].set_title(f"{dnn}: latency of the latency-optimal (threshold, split)")
        row[1].set_title(f"{dnn}: its energy")
        row[0].text(0.99, 0.03, "shaded: infeasible (x: least-violating choice)", transform=row[0].transAxes,
                    ha="right", va="bottom", fontsize=8,
                    bbox=dict(boxstyle="round,pad=0.2", fc="white", ec="none", alpha=0.8))
    axes[0][0].legend(fontsize=8, loc="upper left")
    gamma_text = f"gamma {gamma:g}, " if "gamma" in df else ""
    fig.suptitle(f"The cost of an accuracy target (--accuracy-min, latency objective): {gamma_text}device 5 W busy, "
                 "radios after Huang et al. 2012")
    print(f"{ACCURACY_STEM}: " + "; ".join(numbers))
    return pp.save_figure(fig, outdir, ACCURACY_STEM)


def make_energy_figures(csv_path: str | Path, outdir: str | Path) -> list[Path]:
    """The figure that fits the CSV's columns: accuracy cost, trace campaign, objectives over gamma, or Pareto."""
    columns = set(pd.read_csv(csv_path, nrows=0).columns) if Path(csv_path).is_file() else set()
    if "accuracy_min" in columns:
        return make_accuracy_cost(csv_path, outdir)
    if "uplink.trace" in columns:
        return make_energy_trace(csv_path, outdir)
    if "objective" in columns:
        return make_energy_vs_gamma(csv_path, outdir)
    return make_energy_pareto(csv_path, outdir)


def main(argv: list[str] | None = None) -> int:
    return pp.figure_main(argv, "Energy and accuracy objectives: Pareto fronts, objectives over gamma, LTE traces, "
                          "the cost of an accuracy target.", "csv",
                          "energy_pareto.csv, energy_gamma.csv, energy-trace/summary.csv or accuracy_cost.csv",
                          make_energy_figures)


if __name__ == "__main__":
    sys.exit(main())
