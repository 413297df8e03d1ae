"""What each image does at the side branches: popex-sim's OutcomeSampler, ported exactly.

A port of sim/core/image_outcome.cpp (OutcomeSampler::draw) and of the parts of sim/core/exit_model.cpp it uses,
reading a DNN YAML as sim/config/dnn_loader.cpp does:

* per-sample data (``per_sample: {file}``): image ``index`` of device ``device`` is the real sample
  ``j = floor(u * n)`` of the CSV, u the first uniform of its EXITS stream; it exits at the first side branch
  whose confidence is >= the threshold, with that sample's real correctness;
* exit tables: the branches are walked with their conditional probabilities q_k (interpolated linearly in the
  threshold, as are q_k x acc_k and the final accuracy), one uniform per branch until one takes the image, then one
  uniform for the branch's correctness and one for the final exit's.

Same seed, same threshold, same DNN -> the same exit and correctness per image as popex-sim simulate (checked by
tests/python/test_outcome_sampler.py against images.csv). The testbed replays these outcomes, so that the testbed
and the simulator see the same images. Library module; nothing to run, but for a quick look:

  /usr/bin/python3 analysis/testbed/outcome_sampler.py workloads/dnn/b-alexnet-per-sample.yaml 0.8 1 10
"""
import bisect
import math
import os
import sys
from dataclasses import dataclass

import yaml

from splitmix import EXITS, SplitMix64, stream_seed

_SNAP = 1e-9


@dataclass
class Outcome:
    """One image: its natural exit (branch index 0..K-1, or K for the final exit) and correctness flags."""

    natural_exit: int
    correct_at_branch: bool
    correct_at_final: bool
    accuracy_known: bool = True
    sample: int = -1  # per-sample data: the row of the CSV this image replays


def _check_threshold(t, lo, hi):
    if math.isfinite(t) and lo - _SNAP <= t <= hi + _SNAP:
        return min(max(t, lo), hi)
    raise ValueError(f"threshold must be within the exit table [{lo}, {hi}] (got {t})")


class TableModel:
    """popex::TableExitModel: exit tables of one table set (the top level or one variant)."""

    def __init__(self, thresholds, q, qa, final, backbone):
        self.thresholds, self.q, self.qa, self.final, self.backbone = thresholds, q, qa, final, backbone

    @staticmethod
    def from_yaml(branch_exits, final_node, backbone):
        thresholds = [float(r["threshold"]) for r in branch_exits[0]]
        q = [[float(r["exit_prob"]) for r in rows] for rows in branch_exits]
        qa = [[float(r["exit_prob"]) * float(r.get("accuracy", 0.0)) for r in rows] for rows in branch_exits]
        if isinstance(final_node, list):
            final = [float(r["accuracy"]) for r in final_node]
        else:
            final = [float(final_node)] * len(thresholds)
        return TableModel(thresholds, q, qa, final, float(backbone) if backbone is not None else math.nan)

    def at(self, threshold):
        """(exit_probs, accuracies, final_accuracy) at `threshold`: ExitModel::at, same arithmetic."""
        ths = self.thresholds
        t = _check_threshold(threshold, ths[0], ths[-1])
        j, w = 0, 0.0
        if len(ths) > 1:
            j = max(0, bisect.bisect_right(ths, t) - 1)
            if j + 1 >= len(ths):
                j = len(ths) - 2
            w = (t - ths[j]) / (ths[j + 1] - ths[j])

        def lerp(v):
            return v[j] if w == 0.0 else v[j] + w * (v[j + 1] - v[j])

        qs, accs = [], []
        for k in range(len(self.q)):
            qk, qak = lerp(self.q[k]), lerp(self.qa[k])
            qs.append(qk)
            accs.append(qak / qk if qk > 0 else 0.0)
        return qs, accs, lerp(self.final)

    def exiting_final_accuracy(self, qs, final):
        """ExitPoint::exiting_final_accuracy: the final exit's accuracy on images some branch would take."""
        stay = 1.0
        for q in qs:
            stay *= 1.0 - q
        if math.isnan(self.backbone) or stay >= 1.0:
            return math.nan
        return min(max((self.backbone - stay * final) / (1.0 - stay), 0.0), 1.0)


class SampleSet:
    """popex::SampleSet: confidences and correctness per sample and exit, read like sim/config/sample_csv.cpp."""

    def __init__(self, path, exits):
        import csv

        self.exits = exits
        self.conf, self.correct = [], []
        with open(path, newline="", encoding="utf-8") as f:
            rows = csv.reader(f)
            header = next(rows)
            cc = [header.index(f"conf_branch_{k}") for k in range(1, exits + 1)]
            rc = [header.index(f"correct_branch_{k}") for k in range(1, exits + 1)]
            for row in rows:
                if not row:
                    continue
                self.conf.append([float(row[c]) for c in cc])
                self.correct.append([float(row[c]) == 1.0 for c in rc])

    def natural_exit(self, j, threshold):
        k_final = self.exits - 1
        for k in range(k_final):
            if self.conf[j][k] >= threshold:
                return k
        return k_final


class OutcomeSampler:
    """popex::OutcomeSampler for one DNN YAML, variant and threshold."""

    def __init__(self, dnn_path, threshold=None, variant=None):
        with open(dnn_path, encoding="utf-8") as f:
            doc = yaml.safe_load(f)
        branches = sorted(doc.get("branches") or [], key=lambda b: _layer_index(doc, b["after"]))
        self.branch_names = [b["name"] for b in branches]
        self.k_final = len(branches)
        t = threshold if threshold is not None else doc.get("default_threshold", 1.0)
        self.samples = self.table = None
        if "per_sample" in doc:
            path = doc["per_sample"]["file"]
            if not os.path.isabs(path):
                path = os.path.join(os.path.dirname(os.path.abspath(dnn_path)), path)
            self.samples = SampleSet(path, self.k_final + 1)
            self.threshold = _check_threshold(t, 0.01, 1.0)
        elif branches:
            base = doc.get("variant", "default")
            if variant in (None, base):
                tables = [b["exits"] for b in branches]
                self.table = TableModel.from_yaml(tables, doc["final_accuracy"], doc.get("backbone_accuracy"))
            else:
                v = next((v for v in doc.get("variants") or [] if v["name"] == variant), None)
                if v is None:
                    raise ValueError(f"{dnn_path}: no variant '{variant}'")
                by_name = {b["name"]: b["exits"] for b in v["branches"]}
                self.table = TableModel.from_yaml([by_name[n] for n in self.branch_names], v["final_accuracy"],
                                                  v.get("backbone_accuracy"))
            self.qs, self.accs, self.final = self.table.at(t)
            self.threshold = t
        else:
            self.threshold = 1.0

    def draw(self, seed, device, index):
        """The outcome of image `index` of `device` under master `seed`."""
        rng = SplitMix64(stream_seed(seed, EXITS, device, index))
        if self.samples is not None:
            n = len(self.samples.conf)
            j = int(rng.uniform() * n)
            j = min(j, n - 1)
            e = self.samples.natural_exit(j, self.threshold)
            return Outcome(e, e < self.k_final and self.samples.correct[j][e], self.samples.correct[j][self.k_final],
                           sample=j)
        if self.table is None:
            return Outcome(0, False, False, accuracy_known=False)
        e = self.k_final
        for k in range(self.k_final):
            if rng.uniform() < self.qs[k]:
                e = k
                break
        u_branch, u_final = rng.uniform(), rng.uniform()
        a = self.table.exiting_final_accuracy(self.qs, self.final)
        final_acc = a if (e < self.k_final and not math.isnan(a)) else self.final
        return Outcome(e, e < self.k_final and u_branch < self.accs[e], u_final < final_acc,
                       accuracy_known=not math.isnan(self.final))


def _layer_index(doc, name):
    return [layer["name"] for layer in doc["layers"]].index(name)


if __name__ == "__main__":
    dnn, thr, seed, count = sys.argv[1], float(sys.argv[2]), int(sys.argv[3]), int(sys.argv[4])
    s = OutcomeSampler(dnn, thr)
    names = s.branch_names + ["final"]
    for i in range(count):
        o = s.draw(seed, 0, i)
        print(i, names[o.natural_exit], int(o.correct_at_branch), int(o.correct_at_final), o.sample)
