"""A network of one layer that does nothing, for calibrate.py: the cloud node needs a network, and an offload split
after its only layer (s = N) makes the cloud answer at once. Used as ``--model analysis/testbed/probe_net.py:make``.
Library module; nothing to run.
"""
from torch import nn


def make():
    """One identity layer."""
    return nn.Sequential(nn.Identity())
