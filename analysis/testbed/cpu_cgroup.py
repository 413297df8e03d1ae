"""A cgroup v1 ``cpu`` group for one side of the testbed: it holds that side's processes (so a stale run's processes
can be found and killed), and for the edge it can cap the CPU to emulate gamma.

With a quota, the group may run ``cfs_quota_us`` of CPU time per ``cfs_period_us``: quota = period / gamma, so a
process that would use the whole core gets 1/gamma of it. The kernel's minimum quota is 1 ms, so the period is
max(10 ms, gamma x 1 ms). The kernel enforces the quota in slices, so a short layer may run at full speed and a
later one be held for the rest of the period: per-layer times are quantised to about a period, unlike the
compute-then-idle emulation (docs/validation.md compares the two).

Names carry the testbed's run prefix (``popex-tb-<id>-edge``) so ``cleanup_stale`` finds what a killed run left.
Needs root and the cpu controller mounted at /sys/fs/cgroup/cpu. Library module; nothing to run.
"""
import errno
import math
import os
import signal
import time

ROOT = "/sys/fs/cgroup/cpu"
PREFIX = "popex-tb-"
MIN_QUOTA_US = 1000


def available():
    """Whether the cgroup v1 cpu controller is mounted and writable."""
    return os.path.isdir(ROOT) and os.access(ROOT, os.W_OK) and os.path.exists(os.path.join(ROOT, "cgroup.procs"))


class CpuCgroup:
    """One cpu cgroup under ROOT."""

    def __init__(self, name):
        self.name = name
        self.path = os.path.join(ROOT, name)

    def create(self, gamma=None, idle=False):
        """Create the group; with `gamma`, cap it to 1/gamma of one core; with `idle`, make it run only when nothing
        else wants the CPU (``cpu.idle``, else the smallest ``cpu.shares``)."""
        os.mkdir(self.path)
        if idle:
            if os.path.exists(os.path.join(self.path, "cpu.idle")):
                self._write("cpu.idle", 1)
            else:
                self._write("cpu.shares", 2)
        if gamma is not None and gamma > 1:
            period = max(10_000, math.ceil(MIN_QUOTA_US * gamma))
            self._write("cpu.cfs_period_us", period)
            self._write("cpu.cfs_quota_us", max(MIN_QUOTA_US, round(period / gamma)))
        return self

    def _write(self, name, value):
        with open(os.path.join(self.path, name), "w", encoding="ascii") as f:
            f.write(str(value))

    def quota(self):
        """(quota_us, period_us) of the group."""
        def read(name):
            with open(os.path.join(self.path, name), encoding="ascii") as f:
                return int(f.read())
        return read("cpu.cfs_quota_us"), read("cpu.cfs_period_us")

    def join_self(self):
        """Move the calling process into the group (for a child's preexec_fn, before it execs)."""
        self._write("cgroup.procs", os.getpid())

    def pids(self):
        try:
            with open(os.path.join(self.path, "cgroup.procs"), encoding="ascii") as f:
                return [int(p) for p in f.read().split()]
        except FileNotFoundError:
            return []

    def remove(self, timeout_s=5.0):
        """Kill the processes still in the group, then delete it (idempotent)."""
        deadline = time.monotonic() + timeout_s
        while os.path.isdir(self.path):
            for pid in self.pids():
                try:
                    os.kill(pid, signal.SIGKILL)
                except ProcessLookupError:
                    pass
            try:
                os.rmdir(self.path)
            except OSError as e:
                if e.errno not in (errno.EBUSY, errno.ENOENT) or time.monotonic() > deadline:
                    raise
                time.sleep(0.05)


def stale_cgroups(run_id=""):
    """The testbed's cgroups that exist now (of run `run_id`, or of any run)."""
    if not os.path.isdir(ROOT):
        return []
    return sorted(n for n in os.listdir(ROOT)
                  if n.startswith(PREFIX + run_id) and os.path.isdir(os.path.join(ROOT, n)))


def cleanup_stale(run_id=""):
    """Remove the testbed cgroups of run `run_id` (or of every run), killing what is left in them; return what was
    removed."""
    removed = []
    for name in stale_cgroups(run_id):
        CpuCgroup(name).remove()
        removed.append(f"cgroup cpu/{name}")
    return removed
