#!/usr/bin/env python3
"""Draws Phyxius against Pekko from JMH JSON results (and a RetainedHeap CSV) as a PNG.

usage: plot.py RESULT.json [RESULT.json ...] [--heap HEAP.csv] --out OUT.png [--title TEXT]

One row per workload that both systems ran, on a log scale of performance relative to Pekko's
median (1x): a bar from 1x to Phyxius' median (right of 1x: Phyxius better, for times and bytes
too), a black whisker over Phyxius' forks (min-max) and a grey one over Pekko's, and the ratio.
Standard library only: the PNG is drawn pixel by pixel with a built-in 5x7 font, so the plot
needs nothing installed (no matplotlib).
"""
import argparse
import math
import struct
import sys
import zlib

import jmhresults

# A 5x7 bitmap font for printable ASCII: seven rows per glyph above the baseline (two more below it
# for g, j, p, q, y), five bits per row (bit 4 = left).
FONT = {
    " ": "00 00 00 00 00 00 00", "!": "04 04 04 04 04 00 04", '"': "0A 0A 00 00 00 00 00",
    "#": "0A 0A 1F 0A 1F 0A 0A", "$": "04 0F 14 0E 05 1E 04", "%": "18 19 02 04 08 13 03",
    "&": "0C 12 14 08 15 12 0D", "'": "04 04 00 00 00 00 00", "(": "02 04 08 08 08 04 02",
    ")": "08 04 02 02 02 04 08", "*": "00 04 15 0E 15 04 00", "+": "00 04 04 1F 04 04 00",
    ",": "00 00 00 00 0C 04 08", "-": "00 00 00 1F 00 00 00", ".": "00 00 00 00 00 0C 0C",
    "/": "00 01 02 04 08 10 00", "0": "0E 11 13 15 19 11 0E", "1": "04 0C 04 04 04 04 0E",
    "2": "0E 11 01 02 04 08 1F", "3": "1F 02 04 02 01 11 0E", "4": "02 06 0A 12 1F 02 02",
    "5": "1F 10 1E 01 01 11 0E", "6": "06 08 10 1E 11 11 0E", "7": "1F 01 02 04 08 08 08",
    "8": "0E 11 11 0E 11 11 0E", "9": "0E 11 11 0F 01 02 0C", ":": "00 0C 0C 00 0C 0C 00",
    ";": "00 0C 0C 00 0C 04 08", "<": "02 04 08 10 08 04 02", "=": "00 00 1F 00 1F 00 00",
    ">": "08 04 02 01 02 04 08", "?": "0E 11 01 02 04 00 04", "@": "0E 11 01 0D 15 15 0E",
    "A": "0E 11 11 11 1F 11 11", "B": "1E 11 11 1E 11 11 1E", "C": "0E 11 10 10 10 11 0E",
    "D": "1C 12 11 11 11 12 1C", "E": "1F 10 10 1E 10 10 1F", "F": "1F 10 10 1E 10 10 10",
    "G": "0E 11 10 17 11 11 0F", "H": "11 11 11 1F 11 11 11", "I": "0E 04 04 04 04 04 0E",
    "J": "07 02 02 02 02 12 0C", "K": "11 12 14 18 14 12 11", "L": "10 10 10 10 10 10 1F",
    "M": "11 1B 15 15 11 11 11", "N": "11 11 19 15 13 11 11", "O": "0E 11 11 11 11 11 0E",
    "P": "1E 11 11 1E 10 10 10", "Q": "0E 11 11 11 15 12 0D", "R": "1E 11 11 1E 14 12 11",
    "S": "0F 10 10 0E 01 01 1E", "T": "1F 04 04 04 04 04 04", "U": "11 11 11 11 11 11 0E",
    "V": "11 11 11 11 11 0A 04", "W": "11 11 11 15 15 15 0A", "X": "11 11 0A 04 0A 11 11",
    "Y": "11 11 11 0A 04 04 04", "Z": "1F 01 02 04 08 10 1F", "[": "0E 08 08 08 08 08 0E",
    "\\": "00 10 08 04 02 01 00", "]": "0E 02 02 02 02 02 0E", "^": "04 0A 11 00 00 00 00",
    "_": "00 00 00 00 00 00 1F", "`": "08 04 02 00 00 00 00", "a": "00 00 0E 01 0F 11 0F",
    "b": "10 10 16 19 11 11 1E", "c": "00 00 0E 10 10 11 0E", "d": "01 01 0D 13 11 11 0F",
    "e": "00 00 0E 11 1F 10 0E", "f": "06 09 08 1C 08 08 08", "g": "00 00 0F 11 11 11 0F 01 0E",
    "h": "10 10 16 19 11 11 11", "i": "04 00 0C 04 04 04 0E", "j": "02 00 06 02 02 02 02 12 0C",
    "k": "10 10 12 14 18 14 12", "l": "0C 04 04 04 04 04 0E", "m": "00 00 1A 15 15 11 11",
    "n": "00 00 16 19 11 11 11", "o": "00 00 0E 11 11 11 0E", "p": "00 00 1E 11 11 11 1E 10 10",
    "q": "00 00 0F 11 11 11 0F 01 01", "r": "00 00 16 19 10 10 10", "s": "00 00 0E 10 0E 01 1E",
    "t": "08 08 1C 08 08 09 06", "u": "00 00 11 11 11 13 0D", "v": "00 00 11 11 11 0A 04",
    "w": "00 00 11 11 15 15 0A", "x": "00 00 11 0A 04 0A 11", "y": "00 00 11 11 11 11 0F 01 0E",
    "z": "00 00 1F 02 04 08 1F", "{": "02 04 04 08 04 04 02", "|": "04 04 04 04 04 04 04",
    "}": "08 04 04 02 04 04 08", "~": "00 00 08 15 02 00 00",
}
GLYPHS = {c: [int(row, 16) for row in rows.split()] for c, rows in FONT.items()}

WHITE, BLACK, GREY, LIGHT = (255, 255, 255), (0, 0, 0), (140, 140, 140), (225, 225, 225)
BETTER, WORSE = (43, 123, 186), (215, 96, 40)


class Canvas:
    """An RGB image in memory, written out as a PNG."""

    def __init__(self, width, height):
        self.width, self.height = width, height
        self.pixels = [bytearray(WHITE * width) for _ in range(height)]

    def rect(self, x0, y0, x1, y1, colour):
        x0, x1 = max(0, min(x0, x1)), min(self.width, max(x0, x1))
        y0, y1 = max(0, min(y0, y1)), min(self.height, max(y0, y1))
        span = bytes(colour) * (x1 - x0)
        for y in range(y0, y1):
            self.pixels[y][3 * x0:3 * x1] = span

    def text(self, x, y, s, colour=BLACK, scale=2):
        """Draws s with its top-left corner at (x, y); returns the x after it."""
        for ch in s:
            rows = GLYPHS.get(ch, GLYPHS["?"])
            for r, bits in enumerate(rows):
                for c in range(5):
                    if bits & (0x10 >> c):
                        self.rect(x + c * scale, y + r * scale, x + (c + 1) * scale, y + (r + 1) * scale, colour)
            x += 6 * scale
        return x

    @staticmethod
    def text_width(s, scale=2):
        return 6 * scale * len(s)

    def write(self, path):
        raw = b"".join(b"\x00" + bytes(row) for row in self.pixels)

        def chunk(kind, data):
            body = kind + data
            return struct.pack(">I", len(data)) + body + struct.pack(">I", zlib.crc32(body) & 0xFFFFFFFF)

        header = struct.pack(">IIBBBBB", self.width, self.height, 8, 2, 0, 0, 0)
        with open(path, "wb") as f:
            f.write(b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + chunk(b"IDAT", zlib.compress(raw, 9))
                    + chunk(b"IEND", b""))


def relative(w, system, figure):
    """A figure as performance relative to Pekko's median (> 1: better than Pekko's median)."""
    pk = w.median("pekko")
    return figure / pk if w.higher_is_better else pk / figure


def draw(workloads, title, out):
    rows = [w for w in workloads if w.has_both()]
    if not rows:
        sys.exit("plot.py: no workload has results of both systems")
    values = [1.0]
    for w in rows:
        for system in jmhresults.SYSTEMS:
            values += [relative(w, system, v) for v in w.forks[system]]
    lo = 2.0 ** math.floor(math.log2(max(min(values), 1 / 256)))
    hi = 2.0 ** math.ceil(math.log2(min(max(values), 256)))
    if lo == hi:
        lo, hi = lo / 2, hi * 2
    label_w = max(Canvas.text_width(w.title) for w in rows) + 30
    axis_w, ratio_w, margin, row_h = 560, 110, 20, 46
    top = margin + 60
    legend = ("Phyxius median vs Pekko median    ", "Phyxius forks, min-max    ", "Pekko forks, min-max")
    legend_w = 3 * 32 + sum(Canvas.text_width(t) for t in legend)
    width = max(margin + label_w + axis_w + ratio_w, margin + legend_w, margin + Canvas.text_width(title)) + margin
    height = top + row_h * len(rows) + 100
    c = Canvas(width, height)
    c.text(margin, margin, title)
    c.text(margin, margin + 24, "performance relative to Pekko's median, log scale; right of 1x: Phyxius better",
           GREY)
    x0 = margin + label_w

    def x_of(v):
        v = min(max(v, lo), hi)
        return x0 + int(round((math.log2(v) - math.log2(lo)) / (math.log2(hi) - math.log2(lo)) * axis_w))

    bottom = top + row_h * len(rows)
    p = lo
    while p <= hi * 1.0001:
        x = x_of(p)
        c.rect(x, top, x + 1, bottom, LIGHT if p != 1 else GREY)
        label = f"{p:g}x" if p >= 1 else f"1/{1 / p:g}x"
        c.text(x - Canvas.text_width(label) // 2, bottom + 8, label, GREY)
        p *= 2
    one = x_of(1.0)
    for i, w in enumerate(rows):
        y = top + i * row_h
        c.text(margin, y + row_h // 2 - 7, w.title)
        ratio = w.ratio()
        bar = x_of(ratio)
        c.rect(min(one, bar), y + 9, max(one, bar) + 1, y + 25, BETTER if ratio >= 1 else WORSE)
        for system, yy, colour in (("phyxius", y + 17, BLACK), ("pekko", y + 34, GREY)):
            a, b = (x_of(relative(w, system, v)) for v in w.spread(system))
            a, b = min(a, b), max(a, b)
            c.rect(a, yy - 1, b + 1, yy + 1, colour)
            c.rect(a, yy - 5, a + 2, yy + 5, colour)
            c.rect(b - 1, yy - 5, b + 1, yy + 5, colour)
        c.text(x0 + axis_w + 16, y + row_h // 2 - 7, f"{ratio:.2f}x", BETTER if ratio >= 1 else WORSE)
    legend_y = bottom + 36
    c.rect(margin, legend_y + 2, margin + 24, legend_y + 14, BETTER)
    x = c.text(margin + 32, legend_y, legend[0])
    c.rect(x, legend_y + 7, x + 24, legend_y + 9, BLACK)
    x = c.text(x + 32, legend_y, legend[1])
    c.rect(x, legend_y + 7, x + 24, legend_y + 9, GREY)
    c.text(x + 32, legend_y, legend[2], GREY)
    c.write(out)


def main(argv):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("results", nargs="+", help="JMH JSON result files (-rf json)")
    parser.add_argument("--heap", help="RetainedHeap CSV (impl,processes,bytesPerProcess)")
    parser.add_argument("--out", required=True, help="the PNG to write")
    parser.add_argument("--title", default="Phyxius vs Apache Pekko typed (default dispatcher)")
    args = parser.parse_args(argv)
    workloads = jmhresults.load(args.results)
    if args.heap:
        workloads += jmhresults.load_heap(args.heap)
    draw(workloads, args.title, args.out)
    print("wrote", args.out)


if __name__ == "__main__":
    main(sys.argv[1:])
