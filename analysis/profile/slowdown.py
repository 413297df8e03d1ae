"""Slowdown: emulate an edge device gamma times slower than this CPU by computing, then idling.

Each call runs the computation at this CPU's speed, measures the time c it took, and then waits until gamma x c has
passed since it started, so that the call lasts gamma x c. The run-to-run variation of the real computation is kept
and scaled, as it would be on a slower device. The wait sleeps while far from the deadline and spins (yielding the
GIL at every turn) for its last fraction of a millisecond, because a sleep alone overshoots by about 0.1 ms here.

This is the testbed's default gamma emulation (docs/validation.md, "Gamma"); the profiler applies it with
``--slowdown G`` so that the edge profile is measured under the very emulation the testbed's edge runs.
Library module; nothing to run.
"""
import time

#: Sleep until this close to the deadline, then spin: sleep overshoots by about 0.1 ms on our machines.
SPIN_S = 0.0005


def wait_until(deadline):
    """Return at the time.perf_counter() value `deadline` (or at once, if it has passed)."""
    remaining = deadline - time.perf_counter()
    if remaining > SPIN_S:
        time.sleep(remaining - SPIN_S)
    while time.perf_counter() < deadline:
        time.sleep(0)  # a zero sleep releases the GIL, so other threads keep running while this one spins


class Slowdown:
    """Runs computations `gamma` times slower than this CPU does them (gamma >= 1; 1 = no emulation)."""

    def __init__(self, gamma=1.0):
        if not gamma >= 1.0:
            raise ValueError(f"slowdown must be >= 1 (got {gamma})")
        self.gamma = float(gamma)

    def call(self, fn, x):
        """Return (fn(x), seconds the call took including the idle part)."""
        t0 = time.perf_counter()
        y = fn(x)
        if self.gamma > 1.0:
            wait_until(t0 + self.gamma * (time.perf_counter() - t0))
        return y, time.perf_counter() - t0
