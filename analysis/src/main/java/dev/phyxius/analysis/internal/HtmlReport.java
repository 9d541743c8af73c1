package dev.phyxius.analysis.internal;

import dev.phyxius.analysis.Analysis;
import dev.phyxius.analysis.Finding;
import dev.phyxius.analysis.ProcessSummary;
import dev.phyxius.analysis.RecordingInfo;
import dev.phyxius.analysis.SupervisorDecision;
import java.util.Map;

/**
 * The report as one self-contained HTML page: tables written here (readable without script) and
 * four charts drawn as SVG by a small inline script from the report's JSON, embedded in the page.
 * Nothing is loaded from the network. When the script has run, {@code body} carries
 * {@code data-charts-drawn} (how many charts were drawn) and {@code data-errors} (how many script
 * errors happened), which the browser test reads.
 */
public final class HtmlReport {

    private HtmlReport() {}

    /**
     * The analysis as an HTML page.
     *
     * @param analysis the analysis
     * @return the page
     */
    public static String of(Analysis analysis) {
        RecordingInfo r = analysis.recording();
        StringBuilder body = new StringBuilder();
        body.append("<header><h1>Phyxius recording report</h1><p>")
                .append(escape(r.source()))
                .append(": ")
                .append(escape(Text.time(r.start())))
                .append(" to ")
                .append(escape(Text.time(r.end())))
                .append(" UTC (")
                .append(escape(Text.duration(r.duration())))
                .append("), ")
                .append(r.phyxiusEvents())
                .append(" Phyxius events; MessageHandled threshold ")
                .append(r.messageThreshold().isZero() ? "none" : escape(Text.duration(r.messageThreshold())))
                .append(".</p></header>\n");
        findings(analysis, body);
        body.append("<section><h2>Charts</h2>\n");
        chart(body, "handling", "Handling time per process (recorded messages per bucket)");
        chart(body, "wait", "Longest mailbox wait over time");
        chart(body, "mailbox", "Deepest mailbox over time (sampled by ProcessStatistics)");
        chart(body, "failures", "Failures and restarts over time");
        body.append("</section>\n");
        processes(analysis, body);
        keyedGroups(analysis, body);
        decisions(analysis, body);
        String json = Json.write(JsonReport.tree(analysis));
        return fill(escape("Phyxius report: " + r.source()), body.toString(), json);
    }

    /** The page with its holes filled, in order; what fills one is never searched for the next. */
    private static String fill(String title, String body, String json) {
        String[] holes = {"@TITLE@", "@BODY@", "@DATA@", "@SCRIPT@"};
        String[] fills = {title, body, json, SCRIPT};
        StringBuilder out = new StringBuilder(PAGE.length() + body.length() + json.length() + SCRIPT.length());
        int from = 0;
        for (int i = 0; i < holes.length; i++) {
            int at = PAGE.indexOf(holes[i], from);
            out.append(PAGE, from, at).append(fills[i]);
            from = at + holes[i].length();
        }
        return out.append(PAGE, from, PAGE.length()).toString();
    }

    private static void findings(Analysis analysis, StringBuilder out) {
        out.append("<section><h2>Findings</h2>\n");
        if (analysis.findings().isEmpty()) {
            out.append("<p>No rule scored 25 or more.</p></section>\n");
            return;
        }
        out.append(
                "<table id=\"findings\"><tr><th>severity</th><th>score</th><th>rule</th><th>process</th><th>finding</th></tr>\n");
        for (Finding f : analysis.findings()) {
            out.append("<tr class=\"")
                    .append(f.severity().name().toLowerCase(java.util.Locale.ROOT))
                    .append("\"><td>")
                    .append(f.severity())
                    .append("</td><td>")
                    .append((int) f.score())
                    .append("</td><td>")
                    .append(escape(f.title()))
                    .append("</td><td>")
                    .append(escape(f.process()))
                    .append("</td><td>")
                    .append(escape(f.summary()))
                    .append("<details><summary>why</summary>")
                    .append(escape(f.explanation()))
                    .append("</details></td></tr>\n");
        }
        out.append("</table></section>\n");
    }

    private static void chart(StringBuilder out, String id, String caption) {
        out.append("<figure><figcaption>")
                .append(escape(caption))
                .append("</figcaption><svg id=\"chart-")
                .append(id)
                .append("\" class=\"chart\" viewBox=\"0 0 900 260\" role=\"img\"></svg></figure>\n");
    }

    private static void processes(Analysis analysis, StringBuilder out) {
        out.append(
                "<section><h2>Processes</h2>\n<table id=\"processes\"><tr><th>process</th><th>handled</th>"
                        + "<th>recorded</th><th>handling p50 / p99 / max</th><th>mailbox wait p50 / p99 / max</th>"
                        + "<th>max mailbox</th><th>failures</th><th>restarts</th><th>give-ups</th><th>dropped</th><th>rejected</th></tr>\n");
        for (ProcessSummary p : analysis.processes()) {
            out.append("<tr><td>")
                    .append(escape(p.name()))
                    .append("</td><td>")
                    .append(p.handled())
                    .append("</td><td>")
                    .append(p.recordedMessages())
                    .append("</td><td>")
                    .append(escape(distribution(p.handling())))
                    .append("</td><td>")
                    .append(escape(distribution(p.mailboxWait())))
                    .append("</td><td>")
                    .append(p.maxMailbox())
                    .append("</td><td>")
                    .append(escape(counts(p.failures())))
                    .append("</td><td>")
                    .append(p.restarts())
                    .append("</td><td>")
                    .append(p.giveUps())
                    .append("</td><td>")
                    .append(escape(counts(p.drops())))
                    .append("</td><td>")
                    .append(escape(counts(p.rejections())))
                    .append("</td></tr>\n");
        }
        out.append("</table></section>\n");
    }

    /** Only when the recording has keyed groups: most applications have none. */
    private static void keyedGroups(Analysis analysis, StringBuilder out) {
        if (analysis.keyedGroups().isEmpty()) {
            return;
        }
        out.append("<section><h2>Keyed groups</h2>\n<table id=\"keyed\"><tr><th>group</th><th>activated</th>"
                + "<th>failed activations</th><th>passivated</th><th>evicted</th><th>give-ups</th><th>dropped</th>"
                + "<th>rejected</th></tr>\n");
        for (dev.phyxius.analysis.KeyedGroupSummary g : analysis.keyedGroups()) {
            out.append("<tr><td>")
                    .append(escape(g.group()))
                    .append("</td><td>")
                    .append(g.activations())
                    .append("</td><td>")
                    .append(g.activationFailures())
                    .append("</td><td>")
                    .append(escape(counts(g.passivations())))
                    .append("</td><td>")
                    .append(g.evictions())
                    .append("</td><td>")
                    .append(g.giveUps())
                    .append("</td><td>")
                    .append(escape(counts(g.drops())))
                    .append("</td><td>")
                    .append(escape(counts(g.rejections())))
                    .append("</td></tr>\n");
        }
        out.append("</table></section>\n");
    }

    private static String distribution(dev.phyxius.analysis.Distribution d) {
        return d.count() == 0
                ? "-"
                : Text.duration(d.p50()) + " / " + Text.duration(d.p99()) + " / " + Text.duration(d.max());
    }

    private static String counts(Map<String, Long> counts) {
        if (counts.isEmpty()) {
            return "0";
        }
        StringBuilder s = new StringBuilder();
        counts.forEach((k, v) ->
                s.append(s.isEmpty() ? "" : ", ").append(k).append(' ').append(v));
        return s.toString();
    }

    private static void decisions(Analysis analysis, StringBuilder out) {
        out.append("<section><h2>Supervisor decisions</h2>\n");
        if (analysis.decisions().isEmpty()) {
            out.append("<p>None.</p></section>\n");
            return;
        }
        out.append("<table id=\"decisions\"><tr><th>time (UTC)</th><th>decision</th></tr>\n");
        for (SupervisorDecision d : analysis.decisions()) {
            out.append("<tr><td>")
                    .append(escape(Text.time(d.time())))
                    .append("</td><td>")
                    .append(escape(TextReport.decision(d)))
                    .append("</td></tr>\n");
        }
        out.append("</table></section>\n");
    }

    static String escape(String s) {
        StringBuilder out = new StringBuilder(s.length());
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            switch (c) {
                case '<' -> out.append("&lt;");
                case '>' -> out.append("&gt;");
                case '&' -> out.append("&amp;");
                case '"' -> out.append("&quot;");
                case '\'' -> out.append("&#39;");
                default -> out.append(c);
            }
        }
        return out.toString();
    }

    private static final String PAGE = """
            <!DOCTYPE html>
            <html lang="en">
            <head>
            <meta charset="utf-8">
            <meta http-equiv="Content-Security-Policy" content="default-src 'none'; style-src 'unsafe-inline'; script-src 'unsafe-inline'">
            <title>@TITLE@</title>
            <style>
            body { font: 14px/1.4 system-ui, sans-serif; margin: 24px; color: #222; }
            h1 { font-size: 22px; margin: 0 0 4px; } h2 { font-size: 17px; margin: 24px 0 8px; }
            table { border-collapse: collapse; } th, td { border: 1px solid #ccc; padding: 3px 8px; text-align: left; vertical-align: top; }
            th { background: #f2f2f2; } tr.warning td:first-child { background: #f8d0cc; } tr.info td:first-child { background: #fdf0c4; }
            figure { margin: 8px 0 16px; } figcaption { font-weight: 600; margin-bottom: 4px; }
            svg.chart { width: 900px; height: 260px; border: 1px solid #ddd; background: #fff; }
            svg text { font: 11px system-ui, sans-serif; fill: #444; }
            details { color: #555; margin-top: 2px; }
            </style>
            </head>
            <body>
            @BODY@
            <script type="application/json" id="report-data">
            @DATA@
            </script>
            <script>
            @SCRIPT@
            </script>
            </body>
            </html>
            """;

    /** Draws the four charts into their SVG elements; plain DOM, no library. */
    private static final String SCRIPT = """
            (function () {
              'use strict';
              var errors = 0;
              window.addEventListener('error', function () { errors++; document.body.dataset.errors = String(errors); });
              var NS = 'http://www.w3.org/2000/svg';
              var COLORS = ['#1f77b4', '#d62728', '#2ca02c', '#ff7f0e', '#9467bd', '#8c564b', '#e377c2', '#17becf', '#7f7f7f', '#bcbd22'];
              var W = 900, H = 260, L = 64, R = 170, T = 14, B = 42;
              var data = JSON.parse(document.getElementById('report-data').textContent);

              function el(tag, attrs, parent, text) {
                var e = document.createElementNS(NS, tag);
                for (var k in attrs) { e.setAttribute(k, attrs[k]); }
                if (text !== undefined) { e.textContent = text; }
                parent.appendChild(e);
                return e;
              }
              function count(v) {
                return Math.abs(v - Math.round(v)) < 1e-9 ? String(Math.round(v)) : v.toFixed(1);
              }
              function duration(nanos) {
                if (nanos < 1e3) { return nanos + ' ns'; }
                if (nanos < 1e6) { return (nanos / 1e3).toPrecision(3) + ' µs'; }
                if (nanos < 1e9) { return (nanos / 1e6).toPrecision(3) + ' ms'; }
                return (nanos / 1e9).toPrecision(3) + ' s';
              }
              function frame(svg, maxY, yLabel, xLabels) {
                var plotW = W - L - R, plotH = H - T - B;
                el('line', {x1: L, y1: T + plotH, x2: L + plotW, y2: T + plotH, stroke: '#888'}, svg);
                el('line', {x1: L, y1: T, x2: L, y2: T + plotH, stroke: '#888'}, svg);
                for (var i = 0; i <= 4; i++) {
                  var y = T + plotH - plotH * i / 4;
                  el('line', {x1: L - 4, y1: y, x2: L + plotW, y2: y, stroke: i === 0 ? '#888' : '#eee'}, svg);
                  el('text', {x: L - 6, y: y + 4, 'text-anchor': 'end'}, svg, yLabel(maxY * i / 4));
                }
                var step = Math.max(1, Math.ceil(xLabels.length / 10));
                for (var j = 0; j < xLabels.length; j += step) {
                  el('text', {x: L + plotW * (j + 0.5) / xLabels.length, y: T + plotH + 16, 'text-anchor': 'middle'}, svg, xLabels[j]);
                }
                return {x: L, y: T, w: plotW, h: plotH};
              }
              function legend(svg, names) {
                names.forEach(function (name, i) {
                  el('rect', {x: W - R + 12, y: T + i * 16, width: 10, height: 10, fill: COLORS[i % COLORS.length]}, svg);
                  el('text', {x: W - R + 28, y: T + i * 16 + 9}, svg, name);
                });
              }
              function empty(svg, text) {
                el('text', {x: W / 2, y: H / 2, 'text-anchor': 'middle', 'class': 'empty'}, svg, text);
              }
              function timeLabels() {
                var width = data.bins.widthNanos, labels = [];
                for (var i = 0; i < data.bins.count; i++) { labels.push('+' + duration(i * width)); }
                return labels;
              }

              function handling(svg) {
                var processes = data.processes.filter(function (p) { return p.recordedMessages > 0; });
                if (processes.length === 0) { return empty(svg, 'no recorded messages'); }
                var lo = Infinity, hi = -1;
                processes.forEach(function (p) {
                  p.series.handlingHistogram.forEach(function (n, i) { if (n > 0) { lo = Math.min(lo, i); hi = Math.max(hi, i); } });
                });
                var bounds = data.bins.handlingBucketBoundsNanos, labels = [], maxY = 1;
                for (var b = lo; b <= hi; b++) {
                  labels.push(b < bounds.length ? '<' + duration(bounds[b]) : '>' + duration(bounds[bounds.length - 1]));
                  processes.forEach(function (p) { maxY = Math.max(maxY, p.series.handlingHistogram[b]); });
                }
                var f = frame(svg, maxY, count, labels);
                var slot = f.w / labels.length, bar = slot * 0.8 / processes.length;
                processes.forEach(function (p, k) {
                  for (var b = lo; b <= hi; b++) {
                    var n = p.series.handlingHistogram[b], h = f.h * n / maxY;
                    var r = el('rect', {x: f.x + slot * (b - lo) + slot * 0.1 + bar * k, y: f.y + f.h - h, width: Math.max(1, bar - 1),
                      height: h, fill: COLORS[k % COLORS.length], 'class': 'bar'}, svg);
                    el('title', {}, r, p.name + ': ' + n + ' messages ' + labels[b - lo]);
                  }
                });
                legend(svg, processes.map(function (p) { return p.name; }));
              }

              function lines(svg, series, format, emptyText) {
                var processes = data.processes.filter(function (p) { return series(p).some(function (v) { return v > 0; }); });
                if (processes.length === 0) { return empty(svg, emptyText); }
                var maxY = 1;
                processes.forEach(function (p) { series(p).forEach(function (v) { maxY = Math.max(maxY, v); }); });
                var f = frame(svg, maxY, format, timeLabels());
                var n = data.bins.count;
                processes.forEach(function (p, k) {
                  // Only the bins that saw something: an empty bin is no sample, not a zero.
                  var color = COLORS[k % COLORS.length], points = [];
                  series(p).forEach(function (v, i) {
                    if (v <= 0) { return; }
                    var x = f.x + f.w * (i + 0.5) / n, y = f.y + f.h - f.h * v / maxY;
                    points.push(x.toFixed(1) + ',' + y.toFixed(1));
                    el('title', {}, el('circle', {cx: x, cy: y, r: 3, fill: color, 'class': 'point'}, svg), p.name + ': ' + format(v));
                  });
                  el('polyline', {points: points.join(' '), fill: 'none', stroke: color, 'stroke-width': 2, 'class': 'line'}, svg);
                });
                legend(svg, processes.map(function (p) { return p.name; }));
              }

              function failures(svg) {
                var n = data.bins.count, fail = [], restart = [], maxY = 1;
                for (var i = 0; i < n; i++) {
                  var f = 0, r = 0;
                  data.processes.forEach(function (p) { f += p.series.failures[i]; r += p.series.restarts[i]; });
                  fail.push(f); restart.push(r); maxY = Math.max(maxY, f + r);
                }
                if (fail.concat(restart).every(function (v) { return v === 0; })) { return empty(svg, 'no failures or restarts'); }
                var fr = frame(svg, maxY, count, timeLabels());
                var slot = fr.w / n;
                for (var j = 0; j < n; j++) {
                  var hf = fr.h * fail[j] / maxY, hr = fr.h * restart[j] / maxY;
                  var a = el('rect', {x: fr.x + slot * j + 1, y: fr.y + fr.h - hf, width: Math.max(1, slot - 2), height: hf, fill: '#d62728', 'class': 'bar'}, svg);
                  el('title', {}, a, fail[j] + ' failures');
                  var b = el('rect', {x: fr.x + slot * j + 1, y: fr.y + fr.h - hf - hr, width: Math.max(1, slot - 2), height: hr, fill: '#ff7f0e', 'class': 'bar'}, svg);
                  el('title', {}, b, restart[j] + ' restarts');
                }
                el('rect', {x: W - R + 12, y: T, width: 10, height: 10, fill: '#d62728'}, svg);
                el('text', {x: W - R + 28, y: T + 9}, svg, 'failures');
                el('rect', {x: W - R + 12, y: T + 16, width: 10, height: 10, fill: '#ff7f0e'}, svg);
                el('text', {x: W - R + 28, y: T + 25}, svg, 'restarts');
              }

              var charts = [
                ['chart-handling', handling],
                ['chart-wait', function (svg) { lines(svg, function (p) { return p.series.maxMailboxWaitNanos; }, duration, 'no mailbox wait recorded'); }],
                ['chart-mailbox', function (svg) { lines(svg, function (p) { return p.series.maxMailboxSize; }, count, 'no ProcessStatistics in the recording'); }],
                ['chart-failures', failures]
              ];
              var drawn = 0;
              charts.forEach(function (chart) {
                var svg = document.getElementById(chart[0]);
                try {
                  chart[1](svg);
                  svg.setAttribute('data-drawn', 'true');
                  drawn++;
                } catch (e) {
                  errors++;
                  el('text', {x: 20, y: 30}, svg, 'chart failed: ' + e.message);
                }
              });
              document.body.dataset.chartsDrawn = String(drawn);
              document.body.dataset.errors = String(errors);
            })();
            """;
}
