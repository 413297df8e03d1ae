#!/usr/bin/python3
"""Information 2021 (Fig. 7 there) style: mean inference time against p_tar, 1..3 side branches at the edge vs cloud-only.

Input: summary_by_point.csv of the campaign workloads/campaigns/paper-mobilenet-ptar.yaml (threshold x policy,
several seeds), run by analysis/run_paper.sh or alone with

    popex-sim campaign workloads/campaigns/paper-mobilenet-ptar.yaml --out results/paper/mobilenet-ptar

It needs threshold, policy, mean_latency_s and accuracy; mean_latency_s_ci95 (95% CI across seeds) gives the error
bars when present. Policies are labelled:
  * cloud-only                 -> "cloud-only";
  * fixed:<layer>              -> "N branch(es) at the edge", N = side branches attached at or before <layer>, read
                                  from the DNN file of the campaign's resolved scenario (runs/<id>/scenario.resolved.yaml);
                                  if that cannot be read: "edge up to <layer>";
  * static / dynamic / oracle  -> "POPEX (static)" etc.; anything else keeps its name.

Output, in OUTDIR: mobilenet_ptar.png/.pdf, panel (a) mean inference time (ms) with 95% CI, panel (b) accuracy (%).
The 0.1 s requirement quoted by Information 2021 (cognitive assistance) is drawn as a dotted line. One stdout line.

    /usr/bin/python3 analysis/ptar_figures.py results/paper/mobilenet-ptar/summary_by_point.csv results/paper/figures
"""

from __future__ import annotations

import sys
from pathlib import Path

import numpy as np
import pandas as pd

sys.path.insert(0, str(Path(__file__).resolve().parent))
import popex_plot as pp  # noqa: E402
from popex_plot import plt  # noqa: E402

REQUIRED = ("threshold", "policy", "mean_latency_s", "accuracy")
STEM = "mobilenet_ptar"
REQUIREMENT_S = 0.1  # Information 2021, Section 6: latency requirement of a cognitive-assistance application


def _branches_before(campaign_dir: Path) -> dict[str, int] | None:
    """Layer name -> number of side branches attached at or before it, from the campaign's DNN file."""
    try:
        import yaml  # Debian python3-yaml
    except ImportError:
        return None
    for scen in sorted(campaign_dir.glob("runs/*/scenario.resolved.yaml")):
        try:
            dnn_path = Path(yaml.safe_load(scen.read_text())["dnn"])
            if not dnn_path.is_absolute():
                dnn_path = campaign_dir / dnn_path
            dnn = yaml.safe_load(dnn_path.read_text())
            layers = [l["name"] for l in dnn["layers"]]
            pos = {name: i for i, name in enumerate(layers)}
            afters = [pos[b["after"]] for b in dnn.get("branches", []) if b.get("after") in pos]
            return {name: sum(1 for a in afters if a <= i) for name, i in pos.items()}
        except Exception:  # noqa: BLE001 - labels fall back to layer names
            continue
    return None


def policy_label(policy: str, branches: dict[str, int] | None) -> str:
    p = str(policy).strip()
    if p == "cloud-only":
        return "cloud-only"
    if p.startswith("fixed:"):
        layer = p.split(":", 1)[1]
        if branches and layer in branches:
            n = branches[layer]
            return f"{n} branch{'es' if n != 1 else ''} at the edge"
        return f"edge up to {layer}"
    if p in ("static", "dynamic", "oracle"):
        return f"POPEX ({p})"
    return p


def _read_optional(path: Path) -> pd.DataFrame | None:
    try:
        return pd.read_csv(path)
    except Exception:  # noqa: BLE001 - optional context only
        return None


def _popex_choices(campaign_dir: Path) -> dict[str, dict[float, list[str]]]:
    """policy -> threshold -> distinct analytic_split_after of its runs (summary.csv beside summary_by_point.csv)."""
    path = campaign_dir / "summary.csv"
    out: dict[str, dict[float, list[str]]] = {}
    try:
        runs = pd.read_csv(path)
    except Exception:  # noqa: BLE001 - optional
        return out
    if not {"policy", "threshold", "analytic_split_after"} <= set(runs.columns):
        return out
    if "status" in runs.columns:
        runs = runs[runs["status"] == "ok"]
    for (pol, thr), g in runs.groupby(["policy", "threshold"]):
        out.setdefault(str(pol), {})[float(thr)] = sorted(set(g["analytic_split_after"].astype(str)))
    return out


def _choice_text(choices: dict[float, list[str]]) -> str | None:
    """'cloud-only' / 'split after X' if the policy picked one split everywhere, else None."""
    names = {n for v in choices.values() for n in v}
    if len(names) != 1:
        return None
    name = names.pop()
    return "cloud-only" if name == "input" else f"split after {name}"


def _order_key(policy: str, branches: dict[str, int] | None, appearance: int) -> tuple:
    """cloud-only, then fixed splits by branch count (else file order), then POPEX policies."""
    if policy == "cloud-only":
        return (0, 0, appearance)
    if policy.startswith("fixed:"):
        layer = policy.split(":", 1)[1]
        return (1, branches.get(layer, 99) if branches else 99, appearance)
    return (2, 0, appearance)


def make_ptar_figures(csv_path: str | Path, outdir: str | Path) -> list[Path]:
    pp.setup_style()
    csv_path = Path(csv_path)
    df = pp.read_csv(csv_path, required=REQUIRED, chosen_only=False)
    df["policy"] = df["policy"].astype(str).str.strip()
    if "n_seeds" in df.columns:
        bad = df[df["n_seeds"].fillna(0) == 0]
        for _, r in bad.iterrows():
            pp.log(f"warning: {STEM}: threshold {r['threshold']:g}, policy {r['policy']}: no successful seed")
        df = df[df["n_seeds"].fillna(0) > 0]
    if df.empty:
        raise pp.AnalysisError(f"{csv_path}: no point with a successful run")
    branches = _branches_before(csv_path.parent)
    first_seen = {p: i for i, p in enumerate(dict.fromkeys(df["policy"]))}
    policies = sorted(first_seen, key=lambda p: _order_key(p, branches, first_seen[p]))
    has_ci = "mean_latency_s_ci95" in df.columns
    n_seeds = sorted(set(df["n_seeds"].astype(int))) if "n_seeds" in df.columns else []
    dnn = "MobileNetV2"
    for src in (df, _read_optional(csv_path.parent / "summary.csv")):
        if src is not None and "dnn" in src.columns and src["dnn"].notna().any():
            dnn = str(src["dnn"].dropna().iloc[0])
            break

    fig, (ax1, ax2) = plt.subplots(1, 2, figsize=(12, 4.8))
    colors = {"cloud-only": "tab:red"}
    ramp = ["tab:olive", "tab:green", "tab:blue", "tab:cyan", "tab:brown"]
    fixed = [p for p in policies if p.startswith("fixed:")]
    for i, p in enumerate(fixed):
        colors[p] = ramp[i % len(ramp)]
    others = [p for p in policies if p not in colors]
    for i, p in enumerate(others):
        colors[p] = ["black", "tab:purple", "tab:orange", "tab:gray"][i % 4]
    choices = _popex_choices(csv_path.parent)
    n = len(policies)
    for i, p in enumerate(policies):
        s = df[df["policy"] == p].sort_values("threshold")
        label = policy_label(p, branches)
        popex = not (p == "cloud-only" or p.startswith("fixed:"))
        if popex and p in choices and _choice_text(choices[p]):
            label += f": picks {_choice_text(choices[p])}"
        # Curves coincide (POPEX picks one of the fixed splits): draw thickest first, the next ones on top.
        style = dict(color=colors[p], marker=pp.MARKERS[i % len(pp.MARKERS)], lw=1.4 + 0.9 * (n - 1 - i),
                     ls="--" if popex else "-", label=label, capsize=3, markersize=7 if i == 0 else 5,
                     zorder=2 + i)
        yerr = s["mean_latency_s_ci95"].fillna(0).to_numpy() * 1e3 if has_ci else None
        ax1.errorbar(s["threshold"], s["mean_latency_s"] * 1e3, yerr=yerr, **style)
        ax2.errorbar(s["threshold"], s["accuracy"] * 100, **style)
    ax1.axhline(REQUIREMENT_S * 1e3, color="0.4", ls=":", lw=1.2)
    ax1.annotate(f"{REQUIREMENT_S * 1e3:g} ms requirement (Information 2021)", xy=(0.01, REQUIREMENT_S * 1e3),
                 xycoords=("axes fraction", "data"), xytext=(0, 3), textcoords="offset points", fontsize=8,
                 color="0.3", va="bottom")
    thr = pp.unique_close(df["threshold"])
    for ax in (ax1, ax2):
        ax.set_xlabel("Confidence threshold $p_{tar}$")
        ax.set_xticks(thr)
        ax.set_xticklabels([f"{t:g}" for t in thr])
    ci = " (error bars: 95% CI across seeds)" if has_ci else ""
    ax1.set_title("(a) Mean inference time" + ci, fontsize=10)
    ax1.set_ylabel("Mean inference time (ms)")
    ax1.set_ylim(bottom=0)
    ax2.set_title("(b) Accuracy", fontsize=10)
    ax2.set_ylabel("Accuracy (% of images classified correctly)")
    handles, labels = ax1.get_legend_handles_labels()
    fig.legend(handles, labels, loc="lower center", ncol=len(labels), frameon=False, bbox_to_anchor=(0.5, -0.01))
    seeds = f", {'/'.join(map(str, n_seeds))} seeds per point" if n_seeds else ""
    ctx = ""
    if {"uplink_bps", "latency_ms", "gamma"} <= set(df.columns):
        r = df.iloc[0]
        ctx = (f", uplink {pp.format_rate(r['uplink_bps'])}, one-way latency {r['latency_ms']:.3g} ms, "
               f"$\\gamma$ = {r['gamma']:g}")
    fig.suptitle(f"Inference time vs. $p_{{tar}}$, {dnn}{ctx}{seeds} (cf. Information 2021, Fig. 7)")
    fig.tight_layout(rect=(0, 0.07, 1, 1))
    paths = pp.save_figure(fig, outdir, STEM)

    lo, hi = thr[0], thr[-1]
    parts = []
    for p in policies:
        s = df[df["policy"] == p].sort_values("threshold")
        a = s[np.isclose(s["threshold"], lo)]["mean_latency_s"]
        b = s[np.isclose(s["threshold"], hi)]["mean_latency_s"]
        fa = f"{a.iloc[0] * 1e3:.1f}" if len(a) else "-"
        fb = f"{b.iloc[0] * 1e3:.1f}" if len(b) else "-"
        part = f"{policy_label(p, branches)} {fa}/{fb}"
        if p in choices and not (p == "cloud-only" or p.startswith("fixed:")):
            part += " (picks " + ", ".join(f"{t:g}:{'/'.join(v)}" for t, v in sorted(choices[p].items())) + ")"
        parts.append(part)
    print(f"{STEM}: mean inference time (ms) at p_tar={lo:g}/{hi:g}: " + "; ".join(parts))
    return paths


def main(argv: list[str] | None = None) -> int:
    return pp.figure_main(argv, "Inference time and accuracy vs p_tar per policy (Information 2021).", "summary_by_point_csv",
                          "campaign summary_by_point.csv (threshold x policy)", make_ptar_figures)


if __name__ == "__main__":
    sys.exit(main())
