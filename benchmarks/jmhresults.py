"""Reads JMH JSON results (-rf json) and RetainedHeap CSVs into per-fork figures of both systems.

Shared by summary.py (the tables) and plot.py (the chart). Standard library only.

A workload is one benchmark method with one set of parameters other than `impl`; each has, per
system (`impl` = phyxius or pekko), one figure per fork:
- throughput, average-time and single-shot modes: the mean of the fork's measured iterations;
- sample mode (ask latency): one workload per percentile (p50, p99, p99.9), each fork's
  percentile over all of its measured samples;
- retained heap (CSV): one figure per run of RetainedHeap, per process count.
The figure of a system is the median of its forks, with their min and max.
"""
import csv
import json
import statistics

# "Class.method" -> (title, what one operation is). Benchmarks not listed get their own name.
KNOWN = {
    "TellOneToOne.tell": ("tell 1 -> 1", "msg"),
    "TellFourToOne.tell": ("tell 4 -> 1", "msg"),
    "PingPong.pingPong": ("ping-pong", "round trips"),
    "ThreadRing.threadRing": ("thread ring, 503 processes", "hops"),
    "FanOut.fanOut": ("fan-out", "msg"),
    "AskLatency.ask": ("ask", "ask"),
    "SpawnRate.spawn": ("spawn + first message", "process"),
    "Blocking.blocking": ("blocking 1 ms x 10,000", "msg"),
    "SavinaPingPong.pingPong": ("Savina PingPong", "run"),
    "SavinaCounting.counting": ("Savina Counting", "run"),
    "SavinaThreadRing.threadRing": ("Savina ThreadRing", "run"),
    "SavinaChameneos.chameneos": ("Savina Chameneos", "run"),
    "SavinaBig.big": ("Savina Big", "run"),
    "SavinaForkJoinThroughput.forkJoinThroughput": ("Savina Fork-Join throughput", "run"),
    "SavinaForkJoinCreation.forkJoinCreation": ("Savina Fork-Join creation", "run"),
}
SYSTEMS = ("phyxius", "pekko")
PERCENTILES = (50.0, 99.0, 99.9)


class Workload:
    """One workload: its title, unit, orientation and each system's per-fork figures."""

    def __init__(self, key, title, unit, higher_is_better):
        self.key = key
        self.title = title
        self.unit = unit
        self.higher_is_better = higher_is_better
        self.forks = {}  # system -> [figure per fork]

    def median(self, system):
        return statistics.median(self.forks[system])

    def spread(self, system):
        return min(self.forks[system]), max(self.forks[system])

    def has_both(self):
        return all(self.forks.get(s) for s in SYSTEMS)

    def ratio(self):
        """How many times better Phyxius is than Pekko (> 1: Phyxius better), or None."""
        if not self.has_both():
            return None
        ph, pk = self.median("phyxius"), self.median("pekko")
        return ph / pk if self.higher_is_better else pk / ph

    def performance(self, system, figure):
        """A figure relative to the system's median as performance (0.5: half as good)."""
        m = self.median(system)
        return figure / m if self.higher_is_better else m / figure

    def slow_forks(self, threshold=0.5):
        """(system, fork number from 1, performance vs median) of forks below threshold x median."""
        slow = []
        for system in SYSTEMS:
            for i, figure in enumerate(self.forks.get(system, []), 1):
                p = self.performance(system, figure)
                if p < threshold:
                    slow.append((system, i, p))
        return slow


def _scale(unit, values):
    """A readable unit and factor for throughputs: M or k per second."""
    top = max(values) if values else 0
    if unit.endswith("/s"):
        if top >= 1e6:
            return "M " + unit, 1e-6
        if top >= 1e3:
            return "k " + unit, 1e-3
    return unit, 1.0


def _percentile(histogram, p):
    """The p-th percentile of a JMH sample histogram, a list of [value, count] pairs."""
    pairs = sorted((v, c) for v, c in histogram)
    total = sum(c for _, c in pairs)
    rank = p / 100.0 * total
    seen = 0
    for value, count in pairs:
        seen += count
        if seen >= rank:
            return value
    return pairs[-1][0]


def load(paths):
    """Workloads, in the order first seen, from one or more JMH JSON files."""
    workloads = {}
    for path in paths:
        with open(path) as f:
            runs = json.load(f)
        for run in runs:
            params = dict(run.get("params", {}))
            system = params.pop("impl", None)
            if system is None:
                system = "phyxius"
            base = ".".join(run["benchmark"].split(".")[-2:])
            title, op = KNOWN.get(base, (base, "op"))
            shown = ", ".join(f"{k}={v}" for k, v in sorted(params.items()))
            if shown and base != "FanOut.fanOut":
                title = f"{title} ({shown})"
            elif base == "FanOut.fanOut":
                n = int(params.get("processes", "1000"))
                title = f"fan-out {n:,} x {1_000_000 // n:,}"
            metric = run["primaryMetric"]
            raw_unit = metric["scoreUnit"]
            mode = run["mode"]
            if mode == "sample":
                forks = metric["rawDataHistogram"]
                for p in PERCENTILES:
                    key = (base, shown, p)
                    values = []
                    for fork in forks:
                        merged = [pair for iteration in fork for pair in iteration]
                        values.append(_percentile(merged, p))
                    unit = raw_unit.split("/")[0]
                    w = workloads.setdefault(key, Workload(key, f"{title} p{p:g}", unit, False))
                    w.forks[system] = values
            else:
                key = (base, shown, None)
                values = [statistics.mean(iterations) for iterations in metric["rawData"]]
                higher = mode == "thrpt"
                unit = raw_unit.replace("ops", op).replace("/op", "/" + op)
                w = workloads.setdefault(key, Workload(key, title, unit, higher))
                w.forks[system] = values
    for w in workloads.values():
        unit, factor = _scale(w.unit, [v for vs in w.forks.values() for v in vs])
        w.unit = unit
        w.forks = {s: [v * factor for v in vs] for s, vs in w.forks.items()}
    return list(workloads.values())


def load_heap(path):
    """Retained-heap workloads (bytes per idle process, lower is better), one per process count."""
    rows = {}
    with open(path) as f:
        for row in csv.DictReader(f):
            rows.setdefault(int(row["processes"]), {}).setdefault(row["impl"], []).append(
                float(row["bytesPerProcess"]))
    workloads = []
    for n in sorted(rows):
        w = Workload(("heap", n), f"retained heap / idle process, {n:,}", "bytes", False)
        w.forks = rows[n]
        workloads.append(w)
    return workloads


def number(value):
    """Three significant digits, thousands separated: 0.788, 22.4, 3,340."""
    if value >= 1000:
        return f"{value:,.0f}"
    return f"{value:.3g}"
