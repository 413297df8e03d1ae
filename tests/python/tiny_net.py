"""A tiny CNN for the Python tests: three layers (conv block, conv block, classifier) that run in microseconds, so
a profile with a few repetitions takes well under a second. Used as ``--model tests/python/tiny_net.py:make``
with an input of 3x16x16; nothing to run.
"""
from torch import nn


def make():
    """conv(3->8)+relu+pool, conv(8->16)+relu+pool, flatten+linear(16*4*4 -> 5), as one nn.Sequential."""
    return nn.Sequential(
        nn.Sequential(nn.Conv2d(3, 8, 3, padding=1), nn.ReLU(), nn.MaxPool2d(2)),
        nn.Sequential(nn.Conv2d(8, 16, 3, padding=1), nn.ReLU(), nn.MaxPool2d(2)),
        nn.Sequential(nn.Flatten(1), nn.Linear(16 * 4 * 4, 5)),
    )
