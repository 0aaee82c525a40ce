package io.tpa.operation.bench;

import java.util.List;
import java.util.Locale;
import java.util.function.ToDoubleFunction;

/**
 * The history of a group's runs as an SVG file, written by hand: two panels, the primary's read-write TPS above and
 * its p95 latency below, one point per run in the order they ran, each with axes, ticks and labels.
 */
final class HistoryChart {
    static final int WIDTH = 800;
    static final int PANEL_HEIGHT = 220;
    private static final int LEFT = 70;
    private static final int RIGHT = 20;
    private static final int TOP = 64;
    private static final int GAP = 60;

    private HistoryChart() {
    }

    static String render(String group, List<BenchResult> runs) {
        int height = TOP + 2 * PANEL_HEIGHT + GAP + 30;
        StringBuilder svg = new StringBuilder();
        svg.append("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n")
                .append(String.format(Locale.ROOT, "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"%d\" height=\"%d\" viewBox=\"0 0 %d %d\" "
                        + "font-family=\"sans-serif\" font-size=\"12\">%n", WIDTH, height, WIDTH, height))
                .append("<title>tpa bench history of group ").append(escape(group)).append("</title>\n")
                .append("<rect width=\"100%\" height=\"100%\" fill=\"white\"/>\n")
                .append(String.format(Locale.ROOT, "<text x=\"%d\" y=\"24\" font-size=\"15\">tpa bench: group %s, %d run%s</text>%n",
                        LEFT, escape(group), runs.size(), runs.size() == 1 ? "" : "s"));
        panel(svg, "tps", "read-write TPS (primary)", "#1f77b4", TOP, runs, run -> value(run, Figures.RW_TPS));
        panel(svg, "p95", "p95 latency, ms (primary)", "#d62728", TOP + PANEL_HEIGHT + GAP, runs, run -> value(run, Figures.RW_P95));
        svg.append("</svg>\n");
        return svg.toString();
    }

    private static double value(BenchResult run, String figure) {
        return run.figure(figure).map(BenchResult.Figure::value).orElse(Double.NaN);
    }

    private static void panel(StringBuilder svg, String id, String label, String colour, int top, List<BenchResult> runs,
                              ToDoubleFunction<BenchResult> value) {
        int bottom = top + PANEL_HEIGHT;
        int right = WIDTH - RIGHT;
        double max = runs.stream().mapToDouble(value).filter(v -> !Double.isNaN(v)).max().orElse(1);
        double axisTop = niceCeiling(max);
        svg.append("<g id=\"").append(id).append("\">\n");
        svg.append(String.format(Locale.ROOT, "<text x=\"%d\" y=\"%d\" font-weight=\"bold\">%s</text>%n", LEFT, top - 8, escape(label)));
        svg.append(String.format(Locale.ROOT, "<line class=\"axis\" x1=\"%d\" y1=\"%d\" x2=\"%d\" y2=\"%d\" stroke=\"black\"/>%n", LEFT, top, LEFT, bottom));
        svg.append(String.format(Locale.ROOT, "<line class=\"axis\" x1=\"%d\" y1=\"%d\" x2=\"%d\" y2=\"%d\" stroke=\"black\"/>%n", LEFT, bottom, right, bottom));
        for (int tick = 0; tick <= 4; tick++) {
            double tickValue = axisTop * tick / 4;
            double y = bottom - (double) PANEL_HEIGHT * tick / 4;
            svg.append(String.format(Locale.ROOT, "<line x1=\"%d\" y1=\"%.1f\" x2=\"%d\" y2=\"%.1f\" stroke=\"#dddddd\"/>%n", LEFT, y, right, y));
            svg.append(String.format(Locale.ROOT, "<text class=\"tick\" x=\"%d\" y=\"%.1f\" text-anchor=\"end\">%s</text>%n", LEFT - 6, y + 4,
                    format(tickValue)));
        }
        StringBuilder points = new StringBuilder();
        for (int index = 0; index < runs.size(); index++) {
            double x = x(index, runs.size());
            BenchResult run = runs.get(index);
            svg.append(String.format(Locale.ROOT, "<text class=\"run\" x=\"%.1f\" y=\"%d\" text-anchor=\"middle\" font-size=\"10\">%s</text>%n", x,
                    bottom + 16, escape(shortDate(run.started()))));
            double v = value.applyAsDouble(run);
            if (Double.isNaN(v)) {
                continue;
            }
            double y = bottom - PANEL_HEIGHT * v / axisTop;
            points.append(String.format(Locale.ROOT, "%.1f,%.1f ", x, y));
            svg.append(String.format(Locale.ROOT, "<circle class=\"point\" cx=\"%.1f\" cy=\"%.1f\" r=\"4\" fill=\"%s\"><title>%s: %s</title></circle>%n",
                    x, y, colour, escape(run.started()), format(v)));
        }
        svg.append(String.format(Locale.ROOT, "<polyline class=\"series\" points=\"%s\" fill=\"none\" stroke=\"%s\" stroke-width=\"2\"/>%n",
                points.toString().trim(), colour));
        svg.append("</g>\n");
    }

    /** A run's x: spread evenly over the panel's width; a single run in its middle. */
    private static double x(int index, int count) {
        int width = WIDTH - RIGHT - LEFT - 40;
        return count == 1 ? LEFT + 20 + width / 2.0 : LEFT + 20 + (double) width * index / (count - 1);
    }

    /** The smallest 1, 2 or 5 times a power of ten at or above the value (the y axis' top). */
    static double niceCeiling(double value) {
        if (!(value > 0)) {
            return 1;
        }
        double power = Math.pow(10, Math.floor(Math.log10(value)));
        for (double step : new double[] {1, 2, 5, 10}) {
            if (step * power >= value) {
                return step * power;
            }
        }
        return 10 * power;
    }

    private static String format(double value) {
        return value >= 100 ? String.format(Locale.ROOT, "%.0f", value)
                : new java.math.BigDecimal(String.format(Locale.ROOT, "%.2f", value)).stripTrailingZeros().toPlainString();
    }

    /** 2026-12-07T03:30:00Z as 12-07 03:30. */
    private static String shortDate(String started) {
        return started.length() >= 16 ? started.substring(5, 10) + " " + started.substring(11, 16) : started;
    }

    static String escape(String text) {
        return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace("\"", "&quot;");
    }
}
