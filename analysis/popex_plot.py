#!/usr/bin/python3
"""Shared helpers for the popex-sim figure scripts in analysis/.

This module draws nothing by itself. It provides:
  * ``setup_style()``         - Agg backend and one consistent matplotlib style for every figure;
  * ``save_figure()``         - write a figure as <outdir>/<stem>.png and <stem>.pdf, creating outdir;
  * ``read_csv()``            - read a popex-sim CSV, check the columns a figure needs, keep chosen rows;
  * ``exit_prob_columns()``   - the ``exit_prob_<branch>`` columns of a solve CSV;
  * ``isclose_mask()``        - select rows whose float column equals a value (0.30000000000000004 == 0.3);
  * ``technology_label()``    - "3G" / "4G" / "WiFi" from an uplink rate in bit/s (DADS reference rates);
  * ``split_labels()``        - split_index -> layer name ("input", "conv1", ...) from the CSV itself;
  * ``set_split_ticks()``     - label a y (or x) axis of split indexes with those names.

It is imported by the scripts next to it (sbrc_figures.py, make_figures.py); it needs Debian's
python3-matplotlib, python3-pandas and python3-numpy, so always run the scripts with /usr/bin/python3.
Nothing to run directly; a self-check is:

    /usr/bin/python3 analysis/popex_plot.py
"""

from __future__ import annotations

import os
import sys
from pathlib import Path
from typing import Callable, Iterable, Mapping, Sequence

import matplotlib

matplotlib.use("Agg")  # must precede any pyplot import; figures are files, never windows

import matplotlib.pyplot as plt  # noqa: E402
import numpy as np  # noqa: E402
import pandas as pd  # noqa: E402

#: Reference uplink rates in bit/s (DADS; docs/model.md), used to name technologies.
TECHNOLOGIES: dict[str, float] = {"3G": 1.1e6, "4G": 5.5e6, "WiFi": 18.8e6}

#: One colour per technology, so a technology has the same colour in every figure.
TECH_COLORS: dict[str, str] = {"3G": "tab:red", "4G": "tab:blue", "WiFi": "tab:green"}

#: Cycles for distinguishing overlapping lines (step plots of splits overlap a lot).
LINESTYLES: Sequence[str] = ("-", "--", "-.", ":")
MARKERS: Sequence[str] = ("o", "s", "^", "D", "v", "P", "X", "*")

#: Formats written by save_figure().
DEFAULT_FORMATS: Sequence[str] = ("png", "pdf")


class AnalysisError(Exception):
    """A problem with the input data (missing column, empty selection...). Reported without a traceback."""


def log(msg: str) -> None:
    """One line to stderr (progress, skips, warnings). Results go to stdout."""
    print(msg, file=sys.stderr)


def setup_style() -> None:
    """Apply the common figure style. Idempotent."""
    plt.rcParams.update(
        {
            "figure.dpi": 100,
            "savefig.dpi": 150,
            "savefig.bbox": "tight",
            "font.size": 10,
            "axes.titlesize": 11,
            "axes.labelsize": 10,
            "legend.fontsize": 9,
            "axes.grid": True,
            "grid.alpha": 0.3,
            "grid.linestyle": "-",
            "lines.linewidth": 1.6,
            "lines.markersize": 4,
            "pdf.fonttype": 42,  # embed TrueType: editable text, accepted by publishers
            "ps.fonttype": 42,
        }
    )


def save_figure(fig: plt.Figure, outdir: str | os.PathLike, stem: str,
                formats: Iterable[str] = DEFAULT_FORMATS) -> list[Path]:
    """Save ``fig`` as <outdir>/<stem>.<fmt> for each format, close it and return the paths written."""
    out = Path(outdir)
    out.mkdir(parents=True, exist_ok=True)
    paths = []
    for fmt in formats:
        path = out / f"{stem}.{fmt}"
        fig.savefig(path, format=fmt)
        paths.append(path)
    plt.close(fig)
    for p in paths:
        log(f"wrote {p}")
    return paths


def _truthy(col: pd.Series) -> pd.Series:
    """Interpret a CSV boolean column written as 1/0, true/false, yes/no (any case)."""
    if col.dtype == bool:
        return col
    return col.astype(str).str.strip().str.lower().isin({"1", "true", "yes", "y", "t", "1.0"})


def read_csv(path: str | os.PathLike, required: Iterable[str] = (), chosen_only: bool = True) -> pd.DataFrame:
    """Read a popex-sim CSV.

    * raises AnalysisError if the file is missing/empty or lacks a ``required`` column;
    * if ``chosen_only`` and a ``chosen`` column exists, keeps only chosen rows, so that the full
      (non --chosen-only) solve output can be plotted too.
    """
    path = Path(path)
    if not path.is_file():
        raise AnalysisError(f"{path}: no such file")
    try:
        df = pd.read_csv(path, skipinitialspace=True)
    except pd.errors.EmptyDataError as exc:
        raise AnalysisError(f"{path}: empty CSV") from exc
    df.columns = [str(c).strip() for c in df.columns]
    missing = [c for c in required if c not in df.columns]
    if missing:
        raise AnalysisError(f"{path}: missing column(s) {', '.join(missing)}; header is {', '.join(df.columns)}")
    if chosen_only and "chosen" in df.columns:
        df = df[_truthy(df["chosen"])]
    if df.empty:
        raise AnalysisError(f"{path}: no (chosen) data rows")
    return df.reset_index(drop=True)


def exit_prob_columns(df: pd.DataFrame) -> list[str]:
    """The ``exit_prob_<branch>`` columns, in file order."""
    return [c for c in df.columns if c.startswith("exit_prob_")]


def isclose_mask(col: pd.Series, value: float, rtol: float = 1e-9, atol: float = 1e-9) -> np.ndarray:
    """Boolean mask of rows of a float column equal to ``value`` up to float noise."""
    return np.isclose(col.to_numpy(dtype=float), float(value), rtol=rtol, atol=atol)


def unique_close(values: Iterable[float], rtol: float = 1e-9, atol: float = 1e-9) -> list[float]:
    """Sorted distinct values, merging float-noise duplicates (0.3 and 0.30000000000000004)."""
    out: list[float] = []
    for v in sorted(float(x) for x in values):
        if not out or not np.isclose(v, out[-1], rtol=rtol, atol=atol):
            out.append(v)
    return out


def technology_label(uplink_bps: float, rtol: float = 0.02) -> str:
    """'3G', '4G' or 'WiFi' for the reference rates (within rtol), otherwise e.g. '12.5 Mbps'."""
    for name, rate in TECHNOLOGIES.items():
        if np.isclose(float(uplink_bps), rate, rtol=rtol, atol=0.0):
            return name
    return format_rate(uplink_bps)


def format_rate(bps: float) -> str:
    """Human-readable bit rate: 1.1e6 -> '1.1 Mbps'."""
    bps = float(bps)
    for unit, scale in (("Gbps", 1e9), ("Mbps", 1e6), ("kbps", 1e3)):
        if abs(bps) >= scale:
            return f"{bps / scale:g} {unit}"
    return f"{bps:g} bps"


def tech_color(label: str, fallback_index: int = 0) -> str:
    """Colour of a technology label; other labels take the default colour cycle."""
    if label in TECH_COLORS:
        return TECH_COLORS[label]
    cycle = plt.rcParams["axes.prop_cycle"].by_key()["color"]
    return cycle[(fallback_index + 3) % len(cycle)]


def split_labels(df: pd.DataFrame, index_col: str = "split_index", name_col: str = "split_after") -> dict[int, str]:
    """Map split index -> layer name from the (index, name) pairs present in the data.

    Index 0 is always 'input' (cloud-only). Indexes that never occur keep no entry; set_split_ticks()
    then labels them with the number. Raises AnalysisError if one index carries two different names.
    """
    labels: dict[int, str] = {0: "input"}
    if name_col not in df.columns:
        return labels
    pairs = df[[index_col, name_col]].dropna().drop_duplicates()
    for idx, name in zip(pairs[index_col].astype(int), pairs[name_col].astype(str).str.strip()):
        if idx in labels and labels[idx] != name and idx != 0:
            raise AnalysisError(f"split index {idx} has two names: {labels[idx]!r} and {name!r}")
        labels[idx] = name
    return labels


def set_split_ticks(ax: plt.Axes, labels: Mapping[int, str], lo: int, hi: int, axis: str = "y") -> None:
    """Put one tick per split index lo..hi on ``axis``, labelled with its name (or the index if unknown)."""
    ticks = list(range(int(lo), int(hi) + 1))
    names = [labels.get(i, str(i)) for i in ticks]
    if axis == "y":
        ax.set_yticks(ticks)
        ax.set_yticklabels(names)
        ax.set_ylim(lo - 0.5, hi + 0.5)
    else:
        ax.set_xticks(ticks)
        ax.set_xticklabels(names)
        ax.set_xlim(lo - 0.5, hi + 0.5)


if __name__ == "__main__":
    # Minimal self-check of the pure helpers.
    assert technology_label(1.1e6) == "3G" and technology_label(18.8e6) == "WiFi"
    assert technology_label(2e6) == "2 Mbps"
    assert unique_close([0.3, 0.30000000000000004, 0.1]) == [0.1, 0.3]
    demo = pd.DataFrame({"split_index": [0, 1, 8], "split_after": ["input", "conv1", "fc3"]})
    assert split_labels(demo) == {0: "input", 1: "conv1", 8: "fc3"}
    print("popex_plot: self-check ok")


def figure_main(argv: list[str] | None, description: str, input_name: str, input_help: str,
                draw: Callable[[str, str], object]) -> int:
    """The command line every figure module shares: INPUT OUTDIR; an AnalysisError is one line and exit code 1."""
    import argparse
    ap = argparse.ArgumentParser(description=description)
    ap.add_argument(input_name, help=input_help)
    ap.add_argument("outdir", help="directory for the figures (created if missing)")
    args = ap.parse_args(argv)
    try:
        draw(getattr(args, input_name), args.outdir)
    except AnalysisError as exc:
        log(f"error: {exc}")
        return 1
    return 0
