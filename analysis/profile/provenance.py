"""Provenance of a measurement: the host, the software, the command, and how busy the machine was meanwhile.

* ``host_lines()``: CPU model and count, kernel, torch and torchvision versions, torch threads, date (UTC).
* ``command_line()``: the exact command, as it can be pasted back into a shell.
* ``LoadMonitor``: the CPU time used by *other* processes while a measurement ran, in cores, from /proc/stat
  minus this process's own CPU time, so a record says whether the machine was idle.
* ``wait_until_idle()``: poll until no compiler has run and the machine has been idle for a while.

Library module; nothing to run.
"""
import datetime
import importlib.metadata
import math
import os
import platform
import shlex
import subprocess
import sys
import time

import torch

#: Processes whose presence makes a timing measurement meaningless on a 2-core machine (C++ builds).
BUSY_PROCESSES = ("cc1plus", "ninja", "ld", "make")


def cpu_model():
    """The CPU's model name, from /proc/cpuinfo."""
    try:
        with open("/proc/cpuinfo", encoding="utf-8") as f:
            for line in f:
                if line.startswith("model name"):
                    return line.split(":", 1)[1].strip()
    except OSError:
        pass
    return platform.processor() or "unknown"


def host_lines():
    """Header lines describing this host and software."""
    try:  # without importing it, which takes a second or two
        vision = importlib.metadata.version("torchvision")
    except importlib.metadata.PackageNotFoundError:
        vision = "absent"
    now = datetime.datetime.now(datetime.timezone.utc).strftime("%Y-%m-%d %H:%M:%S UTC")
    return [f"Host: {cpu_model()} ({os.cpu_count()} cores), Linux {platform.release()}, Python "
            f"{platform.python_version()}, torch {torch.__version__}, torchvision {vision}, "
            f"torch.get_num_threads() = {torch.get_num_threads()}",
            f"Date: {now}"]


def command_line():
    """This process's command, quoted for a shell, with the interpreter first."""
    return shlex.join([sys.executable] + sys.argv)


def _busy_jiffies():
    with open("/proc/stat", encoding="utf-8") as f:
        fields = [int(v) for v in f.readline().split()[1:]]
    idle = fields[3] + (fields[4] if len(fields) > 4 else 0)
    return sum(fields[:8]) - idle


def _excluded_jiffies():
    """CPU jiffies used so far by the testbed's keep-awake spinners (their PIDs in POPEX_KEEP_AWAKE_PIDS)."""
    total = 0
    for pid in filter(None, os.environ.get("POPEX_KEEP_AWAKE_PIDS", "").split(",")):
        try:
            with open(f"/proc/{pid}/stat", encoding="utf-8") as f:
                fields = f.read().rsplit(")", 1)[1].split()
            total += int(fields[11]) + int(fields[12])  # utime, stime
        except (OSError, IndexError, ValueError):
            pass
    return total


class LoadMonitor:
    """Measures the CPU used by other processes between start() and stop(), in cores (0 = idle machine). The
    testbed's keep-awake spinners (analysis/testbed/keep_awake.py) are not other processes: they only fill idle
    time, and are left out."""

    def __init__(self):
        self._t0 = self._busy0 = self._own0 = self._excl0 = None
        self.other_cores = float("nan")

    def start(self):
        self._t0, self._busy0, self._own0 = time.monotonic(), _busy_jiffies(), sum(os.times()[:4])
        self._excl0 = _excluded_jiffies()
        return self

    def stop(self):
        tick = os.sysconf("SC_CLK_TCK")
        elapsed = time.monotonic() - self._t0
        busy = (_busy_jiffies() - self._busy0 - (_excluded_jiffies() - self._excl0)) / tick
        own = sum(os.times()[:4]) - self._own0
        self.other_cores = max(0.0, busy - own) / elapsed if elapsed > 0 else 0.0
        return self.other_cores


def running(names):
    """Those of the process names that are running now."""
    found = []
    for name in names:
        if subprocess.run(["pgrep", "-x", name], stdout=subprocess.DEVNULL).returncode == 0:
            found.append(name)
    return found


def wait_until_idle(quiet_s, names=BUSY_PROCESSES, max_cores=0.15, poll_s=2.0, log=None, max_wait_s=math.inf):
    """Block until, for `quiet_s` seconds in a row, none of `names` ran and other processes used at most `max_cores`
    (a test suite keeps the CPU busy without a compiler), or until `max_wait_s` seconds have passed; return the
    seconds waited (>= max_wait_s: the machine never became idle)."""
    t0 = last_busy = time.monotonic()
    last_log = -math.inf
    while time.monotonic() - last_busy < quiet_s and time.monotonic() - t0 < max_wait_s:
        monitor = LoadMonitor().start()
        time.sleep(poll_s)
        load = monitor.stop()
        busy = running(names)
        if busy or load > max_cores:
            last_busy = time.monotonic()
            if log and last_busy - last_log >= 60:  # once a minute is enough
                last_log = last_busy
                log(f"waiting for an idle machine ({', '.join(busy) or 'no compiler'} running, other processes "
                    f"using {load:.2f} cores)")
    return time.monotonic() - t0
