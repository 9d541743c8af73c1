#!/usr/bin/env python3
"""Plots Phyxius against Pekko from a JMH JSON result (-rf json) and the RetainedHeap CSV.

usage: plot.py RESULT.json [HEAP.csv] OUT.png

One panel per workload, one bar per system (median over the forks/iterations JMH recorded, i.e.
its primary score), with the ratio Phyxius/Pekko (oriented so that > 1 means Phyxius is better)
in each panel's title. Needs matplotlib (Debian: apt-get install python3-matplotlib).
"""
import csv
import json
import statistics
import sys

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402

# benchmark method -> (title, unit label, scale, higher is better, score key)
WORKLOADS = {
    "TellOneToOne.tell": ("tell 1 -> 1", "M msg/s", 1e-6, True, None),
    "TellFourToOne.tell": ("tell 4 -> 1", "M msg/s", 1e-6, True, None),
    "PingPong.pingPong": ("ping-pong", "M round trips/s", 1e-6, True, None),
    "FanOut.fanOut": ("fan-out 1,000 x 1,000", "M msg/s", 1e-6, True, None),
    "AskLatency.ask#50": ("ask p50", "us", 1.0, False, "50.0"),
    "AskLatency.ask#99": ("ask p99", "us", 1.0, False, "99.0"),
    "AskLatency.ask#99.9": ("ask p99.9", "us", 1.0, False, "99.9"),
    "SpawnRate.spawn": ("spawn + first message", "ns/process", 1.0, False, None),
    "Blocking.blocking": ("blocking 1 ms x 10,000", "k msg/s", 1e-3, True, None),
}


spreads = {}


def load(path):
    scores = {}
    with open(path) as f:
        for run in json.load(f):
            base = ".".join(run["benchmark"].split(".")[-2:])
            impl = run.get("params", {}).get("impl")
            for name in WORKLOADS:
                if name.split("#")[0] == base and impl is not None:
                    record(run, name, impl, scores)
    return scores


def record(run, name, impl, scores):
    """Stores one workload's score for one system (and, for throughputs, the forks' spread)."""
    percentile = WORKLOADS[name][4]
    metric = run["primaryMetric"]
    scale = WORKLOADS[name][2]
    if percentile:
        score, spread = metric["scorePercentiles"][percentile], None
    else:
        # Median over forks of each fork's mean, with the forks' min and max.
        forks = [statistics.mean(iterations) for iterations in metric["rawData"]]
        score, spread = statistics.median(forks), (min(forks) * scale, max(forks) * scale)
    scores[(name, impl)] = score * scale
    spreads[(name, impl)] = spread


def load_heap(path):
    values = {}
    with open(path) as f:
        for row in csv.DictReader(f):
            if row["processes"] == "100000":
                values.setdefault(row["impl"], []).append(float(row["bytesPerProcess"]))
    return {impl: statistics.median(v) for impl, v in values.items()}


def main(argv):
    if len(argv) not in (3, 4):
        sys.exit(__doc__)
    scores = load(argv[1])
    heap = load_heap(argv[2]) if len(argv) == 4 else {}
    out = argv[-1]
    rows = [(n, *WORKLOADS[n][:4]) for n in WORKLOADS if (n, "phyxius") in scores and (n, "pekko") in scores]
    if "phyxius" in heap and "pekko" in heap:
        rows.append(("heap", "retained heap / idle process", "bytes", 1.0, False))
    panels = [row for row in rows if row[0] not in ("AskLatency.ask#50", "AskLatency.ask#99.9")]
    fig, axes = plt.subplots(2, (len(panels) + 1) // 2, figsize=(3.2 * ((len(panels) + 1) // 2), 6.5))
    for ax in axes.flat[len(panels):]:
        ax.axis("off")
    for ax, (name, title, unit, _, higher_better) in zip(axes.flat, panels):
        if name == "heap":
            ph, pk = heap["phyxius"], heap["pekko"]
        else:
            ph, pk = scores[(name, "phyxius")], scores[(name, "pekko")]
        ratio = ph / pk if higher_better else pk / ph
        bars = ax.bar(["Phyxius", "Pekko"], [ph, pk], color=["#2b7bba", "#999999"])
        ax.bar_label(bars, fmt="%.3g")
        ax.set_title(f"{title}\n{ratio:.2f}x {'(higher' if higher_better else '(lower'} is better)", fontsize=9)
        ax.set_ylabel(unit)
    print("| workload | Phyxius | Pekko | Phyxius vs Pekko |")
    print("|---|---|---|---|")
    for name, title, unit, _, higher_better in rows:
        if name == "heap":
            ph, pk = heap["phyxius"], heap["pekko"]
            cells = [f"{ph:.0f}", f"{pk:.0f}"]
        else:
            ph, pk = scores[(name, "phyxius")], scores[(name, "pekko")]
            cells = []
            for impl, value in (("phyxius", ph), ("pekko", pk)):
                spread = spreads.get((name, impl))
                shown = f" ({spread[0]:.3g}-{spread[1]:.3g})" if spread and spread[0] != spread[1] else ""
                cells.append(f"{value:.3g}{shown}")
        ratio = ph / pk if higher_better else pk / ph
        print(f"| {title} ({unit}) | {cells[0]} | {cells[1]} | {ratio:.2f}x |")
    fig.suptitle("Phyxius vs Pekko typed 1.2.1 (ratio > 1: Phyxius better)")
    fig.tight_layout()
    fig.savefig(out, dpi=110)
    print("wrote", out)


if __name__ == "__main__":
    main(sys.argv)
