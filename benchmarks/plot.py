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
    "AskLatency.ask": ("ask p99", "us", 1.0, False, "99.0"),
    "SpawnRate.spawn": ("spawn + first message", "ns/process", 1.0, False, None),
    "Blocking.blocking": ("blocking 1 ms x 10,000", "k msg/s", 1e-3, True, None),
}


def load(path):
    scores = {}
    with open(path) as f:
        for run in json.load(f):
            name = ".".join(run["benchmark"].split(".")[-2:])
            impl = run.get("params", {}).get("impl")
            if name not in WORKLOADS or impl is None:
                continue
            key = WORKLOADS[name][4]
            metric = run["primaryMetric"]
            score = metric["scorePercentiles"][key] if key else metric["score"]
            scores[(name, impl)] = score * WORKLOADS[name][2]
    return scores


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
    panels = [(n, *WORKLOADS[n][:4]) for n in WORKLOADS if (n, "phyxius") in scores and (n, "pekko") in scores]
    if "phyxius" in heap and "pekko" in heap:
        panels.append(("heap", "retained heap / idle process", "bytes", 1.0, False))
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
    fig.suptitle("Phyxius vs Pekko typed 1.2.1 (ratio > 1: Phyxius better)")
    fig.tight_layout()
    fig.savefig(out, dpi=110)
    print("wrote", out)


if __name__ == "__main__":
    main(sys.argv)
