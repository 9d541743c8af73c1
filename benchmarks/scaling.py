#!/usr/bin/env python3
"""Prints the scaling tables of benchmarks/README.md from the files `run.sh scaling` writes.

usage: scaling.py RESULTS_DIR [NAME]

Reads NAME-carriers-1.json and NAME-carriers-2.json (Phyxius on 1 and 2 carrier threads),
NAME-processes.json (fan-out over 1k, 10k, 100k busy processes, both systems) and NAME-heap.csv
(retained heap per idle process at 1k, 100k, 1M). NAME is `scaling` (the default) or
`scaling-loaded`. Throughputs are the median
over forks of each fork's mean. Standard library only.
"""
import csv
import json
import os
import statistics
import sys

NAMES = {
    "TellOneToOne.tell": ("tell 1 -> 1", "M msg/s", 1e-6),
    "TellFourToOne.tell": ("tell 4 -> 1", "M msg/s", 1e-6),
    "PingPong.pingPong": ("ping-pong", "M round trips/s", 1e-6),
    "ThreadRing.threadRing": ("thread ring, 503 processes", "M hops/s", 1e-6),
    "FanOut.fanOut": ("fan-out 1,000 x 1,000", "M msg/s", 1e-6),
    "Blocking.blocking": ("blocking 1 ms x 10,000", "k msg/s", 1e-3),
}


def median_of_forks(run):
    return statistics.median(statistics.mean(it) for it in run["primaryMetric"]["rawData"])


def runs(path):
    with open(path) as f:
        for run in json.load(f):
            yield ".".join(run["benchmark"].split(".")[-2:]), run.get("params", {}), run


def main(argv):
    if len(argv) not in (2, 3):
        sys.exit(__doc__)
    d = argv[1]
    prefix = argv[2] if len(argv) == 3 else "scaling"
    by_carriers = {}
    for carriers in (1, 2):
        path = os.path.join(d, f"{prefix}-carriers-{carriers}.json")
        if os.path.exists(path):
            for name, params, run in runs(path):
                if name in NAMES and params.get("processes", "1000") == "1000":
                    by_carriers[(name, carriers)] = median_of_forks(run) * NAMES[name][2]
    print("| workload (Phyxius) | 1 carrier | 2 carriers | 2 vs 1 |")
    print("|---|---|---|---|")
    for name, (title, unit, _) in NAMES.items():
        one, two = by_carriers.get((name, 1)), by_carriers.get((name, 2))
        if one and two:
            print(f"| {title} ({unit}) | {one:.3g} | {two:.3g} | {two / one:.2f}x |")
    path = os.path.join(d, f"{prefix}-processes.json")
    if os.path.exists(path):
        fan = {}
        for name, params, run in runs(path):
            if name == "FanOut.fanOut":
                fan[(int(params["processes"]), params["impl"])] = median_of_forks(run) / 1e6
        print()
        print("| busy processes (fan-out, 1,000,000 messages) | Phyxius (M msg/s) | Pekko (M msg/s) | Phyxius vs Pekko |")
        print("|---|---|---|---|")
        for n in sorted({n for n, _ in fan}):
            ph, pk = fan.get((n, "phyxius")), fan.get((n, "pekko"))
            if ph and pk:
                print(f"| {n:,} x {1_000_000 // n:,} | {ph:.3g} | {pk:.3g} | {ph / pk:.2f}x |")
    path = os.path.join(d, f"{prefix}-heap.csv")
    if os.path.exists(path):
        heap = {}
        with open(path) as f:
            for row in csv.DictReader(f):
                heap.setdefault((int(row["processes"]), row["impl"]), []).append(float(row["bytesPerProcess"]))
        print()
        print("| idle processes | Phyxius (bytes each) | Pekko (bytes each) |")
        print("|---|---|---|")
        for n in sorted({n for n, _ in heap}):
            cells = [f"{statistics.median(heap[(n, i)]):.0f}" if (n, i) in heap else "-" for i in ("phyxius", "pekko")]
            print(f"| {n:,} | {cells[0]} | {cells[1]} |")


if __name__ == "__main__":
    main(sys.argv)
