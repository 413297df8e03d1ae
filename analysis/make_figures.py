#!/usr/bin/python3
"""Umbrella entry point: draw every figure whose input CSV is present in a results directory.

It looks in RESULTS_DIR for the known CSVs listed in SOURCES below and calls the matching figure function,
writing PNG + PDF into --out (default RESULTS_DIR/figures). analysis/run_paper.sh writes all these inputs. Today
it knows:

  * sbrc_sweep.csv -> sbrc_fig3.png/.pdf and sbrc_fig4.png/.pdf (sbrc_figures.py: SBRC 2021 Figs. 3 and 4,
    from gamma, uplink_bps, exit_prob_b1, split_index, split_after, expected_time_s), the output of
        popex-sim solve --dnn workloads/dnn/b-alexnet.yaml --gamma 1:1000:1 --uplink 3g,4g,wifi \
            --exit-prob b1=0:1:0.1 --chosen-only --format csv > RESULTS_DIR/sbrc_sweep.csv
  * exit_rates.csv -> exit_rates_edge_exit and exit_rates_accuracy (exit_rate_figures.py: SBRC Fig. 5 style);
  * b-alexnet_thresholds.csv -> b-alexnet_thresholds (threshold_figures.py: SBRC Figs. 6/7 style, uncalibrated);
  * mobilenet-ptar/summary_by_point.csv -> mobilenet_ptar (ptar_figures.py: Information 2021 Fig. 7 style);
  * traces/summary.csv (+ traces/runs/) -> trace_timeline_<trace> per trace, trace_latency_cdf and
    traces_table.md (trace_figures.py);
  * devices/ and cloud-bound/summary_by_point.csv -> devices_scaling and cloud_bound_scaling (devices_figures.py);
  * tier_split_sweep.csv -> tier_split_map and three-tier-devices/summary_by_point.csv -> tier_devices
    (tier_figures.py: three tiers, device -> edge server -> cloud).
  * energy_pareto.csv -> energy_pareto, energy_gamma.csv -> energy_vs_gamma, energy-trace/summary.csv ->
    energy_trace and accuracy_cost.csv -> energy_accuracy_cost (energy_figures.py: energy and accuracy objectives).

A missing input is skipped with one line on stderr. A source whose CSV is malformed is reported on stderr
and the others still run (--strict makes that fatal). Exit code: 0 if at least one figure was written, 1 otherwise.

Run (Debian's python3 has matplotlib and pandas; the pyenv `python3` on PATH does not):

    /usr/bin/python3 analysis/make_figures.py results
    /usr/bin/python3 analysis/make_figures.py results --out /tmp/figs

To add a figure source, write a function ``f(csv_path: Path, outdir: Path) -> list[Path]`` (return the files
written; raise popex_plot.AnalysisError for bad input) and append a FigureSource to SOURCES. Patterns are
globs relative to RESULTS_DIR (e.g. "campaigns/*/summary.csv"); when a glob matches several files, each file's
figures go to OUT/<its parent directories relative to RESULTS_DIR>/ so that they do not overwrite each other.
"""

from __future__ import annotations

import argparse
import sys
from dataclasses import dataclass
from pathlib import Path
from typing import Callable

sys.path.insert(0, str(Path(__file__).resolve().parent))
import popex_plot as pp  # noqa: E402
import exit_rate_figures  # noqa: E402
import ptar_figures  # noqa: E402
import sbrc_figures  # noqa: E402
import threshold_figures  # noqa: E402
import trace_figures  # noqa: E402
import devices_figures  # noqa: E402
import tier_figures  # noqa: E402
import energy_figures  # noqa: E402

FigureFunc = Callable[[Path, Path], list]


@dataclass(frozen=True)
class FigureSource:
    pattern: str        # glob relative to RESULTS_DIR
    draw: FigureFunc    # (csv_path, outdir) -> list of files written
    description: str    # what it draws, for messages and --list


SOURCES: list[FigureSource] = [
    FigureSource("sbrc_sweep.csv", sbrc_figures.make_sbrc_figures,
                 "SBRC 2021 Fig. 3 (E[T] vs exit probability) and Fig. 4 (split vs gamma)"),
    FigureSource("exit_rates.csv", exit_rate_figures.make_exit_rate_figures,
                 "SBRC 2021 Fig. 5 style: edge exit probability and accuracy vs threshold per blur/noise level"),
    FigureSource("b-alexnet_thresholds.csv", threshold_figures.make_threshold_figures,
                 "SBRC 2021 Figs. 6/7 style: B-AlexNet branch exit fraction and accuracy vs threshold (uncalibrated)"),
    FigureSource("mobilenet-ptar/summary_by_point.csv", ptar_figures.make_ptar_figures,
                 "Information 2021 Fig. 7 style: inference time and accuracy vs p_tar, 1..3 branches at the edge"),
    FigureSource("traces/summary.csv", trace_figures.make_trace_figures,
                 "static vs dynamic POPEX on uplink traces: timelines, latency CDFs, traces_table.md"),
    FigureSource("devices/summary_by_point.csv", devices_figures.make_devices_figures,
                 "several cameras behind one cell: latency and deadline-hit ratio vs number of devices"),
    FigureSource("cloud-bound/summary_by_point.csv", devices_figures.make_cloud_bound_figures,
                 "cameras sharing one cloud slot: when load-aware POPEX helps"),
    FigureSource("tier_split_sweep.csv", tier_figures.make_tier_split_map,
                 "three tiers: the chosen (device, edge server) split over (gamma_d, gamma_e), 3G and 4G"),
    FigureSource("three-tier-devices/summary_by_point.csv", tier_figures.make_tier_devices_figures,
                 "three tiers: latency against the number of cameras behind one edge server, per policy"),
    FigureSource("energy_pareto.csv", energy_figures.make_energy_pareto,
                 "energy: latency against device energy per image, Pareto front over (split, threshold), per radio"),
    FigureSource("energy_gamma.csv", energy_figures.make_energy_vs_gamma,
                 "energy: energy and latency of the latency- and energy-optimal splits against gamma, per radio"),
    FigureSource("energy-trace/summary.csv", energy_figures.make_energy_trace,
                 "energy: static and dynamic POPEX minimising latency or energy on LTE traces"),
    FigureSource("accuracy_cost.csv", energy_figures.make_accuracy_cost,
                 "accuracy: latency and energy of the latency-optimal choice against the accuracy target"),
]


def _outdir_for(match: Path, results: Path, out: Path, n_matches: int) -> Path:
    """OUT for a single match; OUT/<parent dirs relative to RESULTS_DIR> (or OUT/<stem>) for several."""
    if n_matches == 1:
        return out
    rel_parent = match.resolve().parent.relative_to(results.resolve())
    return out / rel_parent if rel_parent.parts else out / match.stem


def make_all(results: Path, out: Path, strict: bool = False) -> tuple[list[Path], int]:
    """Run every source whose input exists. Returns (files written, number of failed sources)."""
    written: list[Path] = []
    failures = 0
    for src in SOURCES:
        matches = sorted(p for p in results.glob(src.pattern) if p.is_file())
        if not matches:
            pp.log(f"skip: no {src.pattern} in {results} ({src.description})")
            continue
        for match in matches:
            outdir = _outdir_for(match, results, out, len(matches))
            try:
                written += src.draw(match, outdir)
            except pp.AnalysisError as exc:
                failures += 1
                pp.log(f"error: {src.pattern}: {exc}")
                if strict:
                    raise
    return written, failures


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description="Draw all known popex-sim figures found in a results directory.")
    ap.add_argument("results_dir", type=Path, nargs="?", help="directory holding popex-sim CSVs (e.g. sbrc_sweep.csv)")
    ap.add_argument("--out", type=Path, default=None, help="output directory (default RESULTS_DIR/figures)")
    ap.add_argument("--strict", action="store_true", help="stop with exit code 1 at the first malformed input")
    ap.add_argument("--list", action="store_true", help="list the known figure sources and exit")
    args = ap.parse_args(argv)

    if args.list:
        for src in SOURCES:
            print(f"{src.pattern}\t{src.description}")
        return 0
    if args.results_dir is None:
        ap.error("the following argument is required: results_dir")
    if not args.results_dir.is_dir():
        pp.log(f"error: {args.results_dir}: not a directory")
        return 1
    out = args.out if args.out is not None else args.results_dir / "figures"
    try:
        written, failures = make_all(args.results_dir, out, args.strict)
    except pp.AnalysisError:
        return 1
    pp.log(f"{len(written)} file(s) written to {out}" + (f"; {failures} source(s) failed" if failures else ""))
    return 0 if written else 1


if __name__ == "__main__":
    sys.exit(main())
