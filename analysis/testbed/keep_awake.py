"""Keep the testbed's cores busy-idle: one SCHED_IDLE spinner per core, so that a core never halts while its process
waits (on the network, on the other side, or in the gamma emulation's idle part).

Why (measured with cold_core.py, docs/validation.md "The residual and its causes"): on this KVM guest, when other
processes load the machine, a computation that follows a pause of its process is slow: B-AlexNet's conv2..fc3
took 102-117 ms after 5-300 ms of sleep against 90-92 ms when the process spun through the pause, with 1.2 cores of
other load; with a SCHED_IDLE spinner on the core, the same sleeps cost 89-95 ms. On an idle machine the effect is
absent (88-90 ms whatever the pause). The profiler times layers back to back, while the testbed's cloud waits
during every transfer and its edge while it waits for a result, so the spinners make the testbed less sensitive
to the load it may still meet; they are the user-space counterpart of booting with ``idle=poll``.

A SCHED_IDLE task runs only when nothing else wants the core: it takes no time from the edge or the cloud (weight 3
against 1024). The spinners live in their own cgroup (``popex-tb-<id>-awake``, marked ``cpu.idle`` where the kernel
has it, else the smallest ``cpu.shares``), so that a cgroup quota on the edge is not charged for them and a stale
run's spinners are found and killed by ``testbed.py --cleanup``. Their CPU time is not "other load": LoadMonitor
(analysis/profile/provenance.py) leaves out the processes listed in ``POPEX_KEEP_AWAKE_PIDS``.

Library module; nothing to run.
"""
import os
import subprocess

import cpu_cgroup

PYTHON = "/usr/bin/python3"
ENV_PIDS = "POPEX_KEEP_AWAKE_PIDS"
MARKER = "# popex-tb keep-awake spinner of run"
SPIN = "import os\nos.sched_setscheduler(0, os.SCHED_IDLE, os.sched_param(0))\nwhile True:\n    pass\n"


class KeepAwake:
    """One SCHED_IDLE spinner per core in `cores`, in cgroup `group_name` when cgroups are available."""

    def __init__(self, cores, group_name, run_id=""):
        self.cores = sorted(set(cores))
        self.run_id = run_id
        self.group = cpu_cgroup.CpuCgroup(group_name) if cpu_cgroup.available() else None
        self.procs = []

    def start(self):
        if self.group:
            self.group.create(idle=True)
        for core in self.cores:
            def enter(core=core):
                os.sched_setaffinity(0, {core})
                if self.group:
                    self.group.join_self()

            self.procs.append(subprocess.Popen([PYTHON, "-c", f"{MARKER} {self.run_id}\n{SPIN}"], preexec_fn=enter, start_new_session=True,
                                               stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL))
        os.environ[ENV_PIDS] = ",".join(str(p.pid) for p in self.procs)  # children's LoadMonitors leave them out
        return self

    def stop(self):
        """Kill and reap the spinners, remove their group (idempotent)."""
        for p in self.procs:
            if p.poll() is None:
                p.kill()
            p.wait()
        self.procs = []
        os.environ.pop(ENV_PIDS, None)
        if self.group:
            self.group.remove()


def stale_spinners(run_id=""):
    """PIDs of keep-awake spinners alive now (of run `run_id`, or of any run), found by their program's marker."""
    marker = f"{MARKER} {run_id}".encode()
    pids = []
    for entry in os.listdir("/proc"):
        if not entry.isdigit():
            continue
        try:
            with open(f"/proc/{entry}/cmdline", "rb") as f:
                if marker in f.read():
                    pids.append(int(entry))
        except OSError:
            pass
    return pids


def cleanup_stale(run_id=""):
    """Kill the spinners a killed run (`run_id`, or any) left outside any cgroup; return what was removed."""
    removed = []
    for pid in stale_spinners(run_id):
        try:
            os.kill(pid, 9)
            removed.append(f"keep-awake spinner {pid}")
        except ProcessLookupError:
            pass
    return removed
