"""Where a profiled workload's exit data comes from: the part of a DNN YAML that is not timing.

Three sources, as docs/workloads.md defines the exit data:

* ``from_dnn_yaml``: copied from an existing DNN YAML (``--exits-from``): every branch's ``exits`` (matched by
  branch name), and the top-level exit keys (``default_threshold``, ``variant``, ``final_accuracy``,
  ``backbone_accuracy``, ``variants``, ``per_sample``; a ``per_sample`` file is re-pointed relative to the new
  file);
* ``from_per_sample_csv``: exit tables computed from a per-sample confidence CSV (``--exits-csv``) at a threshold
  grid, exactly as popex-sim reads per-sample data: a sample exits at the first side branch whose
  ``conf_branch_k`` >= threshold; ``exit_prob`` is conditional on reaching the branch; ``accuracy`` is the mean
  ``correct_branch_k`` of the samples that exit there; ``final_accuracy`` that of the final exit on the others;
  ``backbone_accuracy`` that of the final exit on every sample;
* ``per_sample_reference``: a ``per_sample: {file}`` entry pointing at such a CSV (``--per-sample``), which the
  simulator then reads itself.

Library module; nothing to run.
"""
import os
from dataclasses import dataclass, field

import numpy as np
import pandas as pd
import yaml

from profile_error import ProfileError

#: Top-level keys of a DNN YAML that describe exits, in the order they are written.
EXIT_KEYS = ("default_threshold", "variant", "final_accuracy", "backbone_accuracy", "variants", "per_sample")


@dataclass
class ExitData:
    """Exit keys for the top level, and each branch's ``exits`` rows by branch name (none with per_sample)."""

    top: dict = field(default_factory=dict)
    branch_exits: dict = field(default_factory=dict)
    provenance: str = ""


def _relative(path, out_path):
    return os.path.relpath(os.path.abspath(path), os.path.dirname(os.path.abspath(out_path)))


def from_dnn_yaml(path, branch_names, out_path):
    """The exit data of DNN file `path`, whose branches must be `branch_names` (same names, same order)."""
    try:
        with open(path, encoding="utf-8") as f:
            doc = yaml.safe_load(f)
    except (OSError, yaml.YAMLError) as e:
        raise ProfileError(f"--exits-from: cannot read '{path}': {str(e).splitlines()[0]}") from None
    if not isinstance(doc, dict):
        raise ProfileError(f"--exits-from: '{path}' is not a DNN YAML mapping")
    theirs = [b.get("name") for b in doc.get("branches") or [] if isinstance(b, dict)]
    if theirs != list(branch_names):
        raise ProfileError(f"--exits-from: '{path}' has branches [{', '.join(map(str, theirs))}], the profiled "
                           f"network [{', '.join(branch_names)}]: they must be the same, in the same order")
    data = ExitData(provenance=f"copied from {path} (name: {doc.get('name')})")
    for key in EXIT_KEYS:
        if key in doc:
            data.top[key] = doc[key]
    if "per_sample" in data.top:
        src = data.top["per_sample"]["file"]
        data.top["per_sample"] = {"file": _relative(os.path.join(os.path.dirname(path), src), out_path)}
    for b in doc.get("branches") or []:
        if "exits" in b:
            data.branch_exits[b["name"]] = b["exits"]
    return data


def _read_samples(path, n_exits, option):
    try:
        df = pd.read_csv(path)
    except (OSError, ValueError) as e:
        raise ProfileError(f"{option}: cannot read '{path}': {str(e).splitlines()[0]}") from None
    cols = [f"{kind}_branch_{k}" for k in range(1, n_exits + 1) for kind in ("conf", "correct")]
    missing = [c for c in cols if c not in df.columns]
    if missing:
        raise ProfileError(f"{option}: '{path}' lacks columns {', '.join(missing)} (a network with "
                           f"{n_exits - 1} side branches needs conf_branch_k and correct_branch_k, "
                           f"k = 1..{n_exits})")
    if len(df) == 0:
        raise ProfileError(f"{option}: '{path}' has no sample rows")
    return df


def per_sample_reference(path, branch_names, out_path, default_threshold):
    """A ``per_sample`` entry pointing at the CSV `path` (checked to have this network's exits)."""
    _read_samples(path, len(branch_names) + 1, "--per-sample")
    return ExitData(top={"default_threshold": default_threshold, "per_sample": {"file": _relative(path, out_path)}},
                    provenance=f"per-sample data read by the simulator from {path}")


def thresholds_grid(text):
    """``LO:HI:STEP`` -> ascending thresholds in (0, 1], rounded to 10 decimals."""
    try:
        lo, hi, step = (float(v) for v in text.split(":"))
    except ValueError:
        raise ProfileError(f"--thresholds must be LO:HI:STEP (got '{text}')") from None
    if not (0 < lo <= hi <= 1 and step > 0):
        raise ProfileError(f"--thresholds must have 0 < LO <= HI <= 1 and STEP > 0 (got '{text}')")
    n = int(round((hi - lo) / step)) + 1
    return [round(lo + i * step, 10) for i in range(n) if lo + i * step <= hi + 1e-9]


def from_per_sample_csv(path, branch_names, thresholds, default_threshold):
    """Exit tables at `thresholds` computed from the per-sample CSV `path`."""
    k_final = len(branch_names)
    df = _read_samples(path, k_final + 1, "--exits-csv")
    conf = df[[f"conf_branch_{k}" for k in range(1, k_final + 1)]].to_numpy(dtype=float)
    right = df[[f"correct_branch_{k}" for k in range(1, k_final + 2)]].to_numpy(dtype=float)
    rows = {b: [] for b in branch_names}
    final = []
    for t in thresholds:
        alive = np.ones(len(df), dtype=bool)
        for k, b in enumerate(branch_names):
            exits = alive & (conf[:, k] >= t)
            q = exits.sum() / alive.sum() if alive.sum() else 0.0
            row = {"threshold": t, "exit_prob": float(q)}
            if exits.sum():
                row["accuracy"] = float(right[exits, k].mean())
            rows[b].append(row)
            alive = alive & ~exits
        final.append({"threshold": t, "accuracy": float(right[alive, k_final].mean()) if alive.sum() else 0.0})
    top = {"default_threshold": default_threshold, "variant": "pristine", "final_accuracy": final,
           "backbone_accuracy": float(right[:, k_final].mean())}
    return ExitData(top=top, branch_exits=rows,
                    provenance=f"exit tables computed from the per-sample CSV {path} ({len(df)} samples) at "
                               f"thresholds {thresholds[0]}..{thresholds[-1]} ({len(thresholds)} rows)")
