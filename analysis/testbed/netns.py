"""The testbed's network: two network namespaces (edge, cloud) joined by a veth pair, the edge's egress shaped.

* Names carry a unique run prefix (``popex-tb-<id>``; the veth ends ``ptb<id>e`` and ``ptb<id>c``), so that a stale
  run's leftovers can be found and removed (``cleanup_stale``).
* Each namespace holds only its loopback and its veth end, with private addresses on a /30: traffic can only flow
  between the testbed's own two namespaces, never to the host's interfaces.
* The uplink is a ``tbf`` qdisc on the edge's veth end: rate in bit/s, a bucket of ``burst`` bytes (one full frame
  by default, the smallest that passes 1514-byte frames), and a queue of ``limit`` bytes large enough for the
  biggest tensor, so nothing is ever dropped. ``set_rate`` changes the rate in place (``tc qdisc change``), for
  trace replay. The downlink (cloud -> edge) is not shaped.

Needs root and the ``ip`` and ``tc`` commands (iproute2). Library module; nothing to run.
"""
import subprocess

PREFIX = "popex-tb"
LINK_PREFIX = "ptb"
EDGE_IP, CLOUD_IP = "10.77.0.1", "10.77.0.2"

#: tbf bucket: one 1514-byte frame (MTU 1500 + Ethernet header), the smallest bucket that passes full frames.
BURST_BYTES = 1514
#: tbf queue: larger than the biggest tensor we send (602,112 B plus framing), so tbf never drops.
LIMIT_BYTES = 4_000_000


def _run(args, check=True):
    return subprocess.run(args, check=check, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)


def namespaces():
    """Names of the network namespaces that exist now."""
    out = _run(["ip", "netns", "list"], check=False).stdout
    return [line.split()[0] for line in out.splitlines() if line.strip()]


def links():
    """Names of the links in the root namespace."""
    out = _run(["ip", "-o", "link", "show"], check=False).stdout
    return [line.split(":")[1].strip().split("@")[0] for line in out.splitlines() if ":" in line]


class TestbedNetwork:
    """The two namespaces and their link, for one run identified by `run_id` (6 hex digits)."""

    def __init__(self, run_id):
        self.run_id = run_id
        self.ns_edge = f"{PREFIX}-{run_id}-edge"
        self.ns_cloud = f"{PREFIX}-{run_id}-cloud"
        self.veth_edge = f"{LINK_PREFIX}{run_id}e"
        self.veth_cloud = f"{LINK_PREFIX}{run_id}c"
        self.rate_bps = None

    def exec_prefix(self, side):
        """Command prefix that runs a program inside the `side` ('edge' or 'cloud') namespace."""
        return ["ip", "netns", "exec", self.ns_edge if side == "edge" else self.ns_cloud]

    def _in(self, ns, args, check=True):
        return _run(["ip", "netns", "exec", ns] + args, check=check)

    def setup(self):
        """Create the namespaces and the veth pair, address them and bring everything up."""
        _run(["ip", "netns", "add", self.ns_edge])
        _run(["ip", "netns", "add", self.ns_cloud])
        _run(["ip", "link", "add", self.veth_edge, "type", "veth", "peer", "name", self.veth_cloud])
        _run(["ip", "link", "set", self.veth_edge, "netns", self.ns_edge])
        _run(["ip", "link", "set", self.veth_cloud, "netns", self.ns_cloud])
        for ns, dev, ip in ((self.ns_edge, self.veth_edge, EDGE_IP), (self.ns_cloud, self.veth_cloud, CLOUD_IP)):
            self._in(ns, ["ip", "link", "set", "lo", "up"])
            self._in(ns, ["ip", "addr", "add", f"{ip}/30", "dev", dev])
            self._in(ns, ["ip", "link", "set", dev, "up"])

    def shape(self, rate_bps, burst_bytes=BURST_BYTES, limit_bytes=LIMIT_BYTES):
        """Shape the edge's egress (the uplink) with tbf at `rate_bps` bit/s."""
        self._in(self.ns_edge, ["tc", "qdisc", "replace", "dev", self.veth_edge, "root", "tbf",
                                "rate", f"{int(round(rate_bps))}bit", "burst", str(burst_bytes),
                                "limit", str(limit_bytes)])
        self.rate_bps = rate_bps
        self.burst_bytes, self.limit_bytes = burst_bytes, limit_bytes

    def set_rate(self, rate_bps):
        """Change the uplink rate in place (tc qdisc change), keeping the bucket and the queue."""
        self._in(self.ns_edge, ["tc", "qdisc", "change", "dev", self.veth_edge, "root", "tbf",
                                "rate", f"{int(round(rate_bps))}bit", "burst", str(self.burst_bytes),
                                "limit", str(self.limit_bytes)])
        self.rate_bps = rate_bps

    def qdisc_stats(self):
        """`tc -s qdisc show` of the edge's veth end (sent bytes, drops, overlimits)."""
        return self._in(self.ns_edge, ["tc", "-s", "qdisc", "show", "dev", self.veth_edge], check=False).stdout

    def teardown(self):
        """Remove everything this run created (idempotent): killing the namespaces removes the veth and qdiscs."""
        remove_namespace(self.ns_edge)
        remove_namespace(self.ns_cloud)
        for dev in (self.veth_edge, self.veth_cloud):
            if dev in links():
                _run(["ip", "link", "del", dev], check=False)


def remove_namespace(ns):
    """Kill the processes left in namespace `ns`, then delete it (no error if it does not exist)."""
    if ns not in namespaces():
        return
    pids = _run(["ip", "netns", "pids", ns], check=False).stdout.split()
    for pid in pids:
        _run(["kill", "-KILL", pid], check=False)
    _run(["ip", "netns", "del", ns], check=False)


def stale_namespaces(run_id=""):
    """Namespaces of testbed run `run_id`, or of any run (this one or a stale one)."""
    return [ns for ns in namespaces() if ns.startswith(f"{PREFIX}-{run_id}")]


def stale_links(run_id=""):
    """veth ends of testbed run `run_id` (or any run) left in the root namespace (a run killed during setup)."""
    return [dev for dev in links() if dev.startswith(LINK_PREFIX + run_id) and len(dev) == len(LINK_PREFIX) + 7]


def cleanup_stale(run_id=""):
    """Remove the namespaces and root-namespace veth ends of run `run_id` (or of every run); return what was
    removed."""
    removed = []
    for ns in stale_namespaces(run_id):
        remove_namespace(ns)
        removed.append(f"netns {ns}")
    for dev in stale_links(run_id):
        _run(["ip", "link", "del", dev], check=False)
        removed.append(f"link {dev}")
    return removed
