#!/usr/bin/env python3
"""Prints the results table of a benchmark run as Markdown.

usage: summary.py [--meta RUN.meta] [--heap HEAP.csv] RESULT.json [RESULT.json ...]

Per workload: each system's median over its forks with the forks' min-max, the ratio (how many
times better Phyxius is: Phyxius/Pekko for rates, Pekko/Phyxius for times and bytes), and every
fork whose performance is below half of its system's median (a rate under 0.5x the median, a
time over 2x), the spread target of the benchmarks. With --meta, the run's command, machine,
load and dates come first. Standard library only.
"""
import argparse
import sys

import jmhresults


def main(argv):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("results", nargs="+", help="JMH JSON result files (-rf json)")
    parser.add_argument("--heap", help="RetainedHeap CSV (impl,processes,bytesPerProcess)")
    parser.add_argument("--meta", help="the .meta file run.sh wrote beside the results")
    args = parser.parse_args(argv)
    workloads = jmhresults.load(args.results)
    if args.heap:
        workloads += jmhresults.load_heap(args.heap)
    if args.meta:
        with open(args.meta) as f:
            for line in f:
                print(f"- {line.rstrip()}")
        print()
    print("| workload | Phyxius | Pekko | Phyxius vs Pekko | forks below 0.5x median |")
    print("|---|---|---|---|---|")
    flagged = 0
    for w in workloads:
        cells = []
        for system in jmhresults.SYSTEMS:
            if w.forks.get(system):
                lo, hi = w.spread(system)
                n = len(w.forks[system])
                shown = f" ({jmhresults.number(lo)}-{jmhresults.number(hi)})" if n > 1 else ""
                cells.append(f"{jmhresults.number(w.median(system))}{shown}")
            else:
                cells.append("-")
        ratio = w.ratio()
        slow = w.slow_forks()
        flagged += len(slow)
        slow_cell = ", ".join(f"{s} fork {i}: {p:.2f}x" for s, i, p in slow) or "none"
        ratio_cell = f"{ratio:.2f}x" if ratio is not None else "-"
        print(f"| {w.title} ({w.unit}) | {cells[0]} | {cells[1]} | {ratio_cell} | {slow_cell} |")
    forks = sorted({len(v) for w in workloads for v in w.forks.values()})
    print()
    print(f"Forks per workload and system: {', '.join(map(str, forks))}. "
          f"Forks below half their median: {flagged}.")


if __name__ == "__main__":
    main(sys.argv[1:])
