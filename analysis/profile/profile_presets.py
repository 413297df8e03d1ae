"""Named layouts of the papers' networks, written in the profiler's own options (``--preset NAME`` = these options).

* ``b-alexnet``: the B-AlexNet of the POPEX papers, with the 8-layer grouping of ../shared/data/README.md
  (conv1 = features 0..2, conv2 = 3..5, conv3 = 6..7, conv4 = 8..9, conv5 = 10..12 + avgpool, fc1 = flatten +
  classifier 0..2, fc2 = classifier 3..5, fc3 = classifier 6) and one branch after conv1. The network that
  produced the exit data (github pachecobeto95/CARPEX, branchynet/branchyNet.py, exit_type None) replaces the last
  Linear by one to CIFAR-10's 10 classes, and its branch head is AdaptiveAvgPool2d(2) + Linear(4 x 64, 10).
* ``mobilenetv2-information2021``: the MobileNetV2 of Information 2021 in the layout of
  workloads/dnn/mobilenetv2-3b.yaml (docs/workloads.md): one layer per kept ``features`` module, named
  f<index>_<kind><channels>; modules 3, 10 and 15 are not in that network (the source code inserts each branch in
  place of one); branches after f2_ir24, f9_ir64 and f14_ir160 with the head AdaptiveAvgPool2d(2) +
  Linear(4 C, 258); then avgpool (global average pool and flatten) and fc (classifier: dropout, Linear(1280, 258)).
  224x224 input.

``popex_profile.py --list-presets`` prints each preset's options. Library module; nothing to run.
"""

_MNV2_KEPT = [(0, "f0_conv"), (1, "f1_ir16"), (2, "f2_ir24"), (4, "f4_ir32"), (5, "f5_ir32"), (6, "f6_ir32"),
              (7, "f7_ir64"), (8, "f8_ir64"), (9, "f9_ir64"), (11, "f11_ir96"), (12, "f12_ir96"), (13, "f13_ir96"),
              (14, "f14_ir160"), (16, "f16_ir160"), (17, "f17_ir320"), (18, "f18_conv1x1")]


def _mnv2():
    args = ["--model", "mobilenet_v2", "--num-classes", "258"]
    for index, name in _MNV2_KEPT:
        args += ["--layer", f"{name}=features.{index}"]
    args += ["--layer", "avgpool=adaptive_avg_pool2d(1),flatten()", "--layer", "fc=classifier.0..1",
             "--branch", "b1=f2_ir24", "--branch", "b2=f9_ir64", "--branch", "b3=f14_ir160",
             "--branch-pool", "2", "--branch-classes", "258", "--input-shape", "3x224x224", "--dtype", "float32"]
    return args


#: preset -> (description for the YAML header, the options it stands for)
PRESETS = {
    "b-alexnet": (
        "B-AlexNet of the POPEX papers: torchvision AlexNet (10 classes, CIFAR-10 as in the source), the papers' "
        "8-layer grouping, one side branch after conv1 (head AdaptiveAvgPool2d(2) + Linear(256, 10)), 224x224 input",
        ["--model", "alexnet", "--num-classes", "10",
         "--layer", "conv1=features.0..2", "--layer", "conv2=features.3..5", "--layer", "conv3=features.6..7",
         "--layer", "conv4=features.8..9", "--layer", "conv5=features.10..12,avgpool",
         "--layer", "fc1=flatten(),classifier.0..2", "--layer", "fc2=classifier.3..5", "--layer", "fc3=classifier.6",
         "--branch", "b1=conv1", "--branch-pool", "2", "--branch-classes", "10",
         "--input-shape", "3x224x224", "--dtype", "float32"]),
    "mobilenetv2-information2021": (
        "MobileNetV2 early-exit DNN of Information 2021 (Caltech-256, 258 outputs as in the source), the layout of "
        "workloads/dnn/mobilenetv2-3b.yaml: kept features modules one layer each (3, 10, 15 replaced by the "
        "branches in the source), 3 side branches (head AdaptiveAvgPool2d(2) + Linear(4C, 258)), 224x224 input",
        _mnv2()),
}
