package org.ntx.analytics;

import org.ntx.survival.LogRank;
import org.ntx.survival.SurvivalCurve;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * A Kaplan-Meier figure as it goes into a paper, as SVG: one step function per stratum with its shaded 95% band,
 * censoring ticks, a legend, and the numbers at risk under the time axis. Colours are the Okabe-Ito palette (Okabe and
 * Ito 2008, safe for colour-blind readers), each curve also with its own dash pattern so the figure survives
 * greyscale print. The SVG carries a title and a description (role="img"), and {@link #caption} gives the same facts
 * as plain text for a text alternative.
 */
final class KaplanMeierPlot {

    /** Okabe-Ito: blue, vermillion, bluish green, reddish purple, orange, sky blue. */
    static final List<String> COLOURS = List.of("#0072B2", "#D55E00", "#009E73", "#CC79A7", "#E69F00", "#56B4E9");
    private static final List<String> DASHES = List.of("", "8 4", "2 3", "10 3 2 3", "4 2", "1 2");

    private static final int WIDTH = 900;
    private static final int LEFT = 110;
    private static final int TOP = 70;
    private static final int PLOT_WIDTH = 740;
    private static final int PLOT_HEIGHT = 360;

    private KaplanMeierPlot() {}

    static String svg(String title, String timeLabel, String survivalLabel, Map<String, SurvivalCurve> curves,
                      List<Integer> riskTimes, String testLine) {
        double maxTime = riskTimes.get(riskTimes.size() - 1);
        for (SurvivalCurve curve : curves.values()) {
            for (SurvivalCurve.Step step : curve.steps()) {
                maxTime = Math.max(maxTime, step.time());
            }
        }
        double step = tickStep(maxTime);
        double axisMax = Math.ceil(maxTime / step) * step;
        int tableTop = TOP + PLOT_HEIGHT + 72;
        int height = tableTop + 44 + 22 * curves.size() + 30;
        StringBuilder svg = new StringBuilder();
        svg.append(String.format(Locale.ROOT,
                "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"%d\" height=\"%d\" viewBox=\"0 0 %d %d\" "
                        + "role=\"img\" aria-labelledby=\"title desc\" font-family=\"DejaVu Sans, Arial, sans-serif\">%n",
                WIDTH, height, WIDTH, height));
        svg.append("<title id=\"title\">").append(escape(title)).append("</title>\n");
        svg.append("<desc id=\"desc\">").append(escape(caption(title, curves, riskTimes, testLine))).append("</desc>\n");
        svg.append(String.format(Locale.ROOT, "<rect width=\"%d\" height=\"%d\" fill=\"white\"/>%n", WIDTH, height));
        svg.append(String.format(Locale.ROOT, "<text x=\"%d\" y=\"30\" font-size=\"18\" font-weight=\"bold\">%s</text>%n",
                LEFT, escape(title)));
        if (!testLine.isEmpty()) {
            svg.append(String.format(Locale.ROOT, "<text x=\"%d\" y=\"52\" font-size=\"13\">%s</text>%n", LEFT,
                    escape(testLine)));
        }
        // grid and axes
        for (int i = 0; i <= 4; i++) {
            double s = i / 4.0;
            double y = y(s);
            svg.append(String.format(Locale.ROOT,
                    "<line x1=\"%d\" y1=\"%.1f\" x2=\"%d\" y2=\"%.1f\" stroke=\"#dddddd\"/>%n", LEFT, y,
                    LEFT + PLOT_WIDTH, y));
            svg.append(String.format(Locale.ROOT,
                    "<text x=\"%d\" y=\"%.1f\" font-size=\"13\" text-anchor=\"end\">%d%%</text>%n", LEFT - 8, y + 4,
                    i * 25));
        }
        for (double t = 0; t <= axisMax + 1e-9; t += step) {
            double x = x(t, axisMax);
            svg.append(String.format(Locale.ROOT,
                    "<line x1=\"%.1f\" y1=\"%d\" x2=\"%.1f\" y2=\"%d\" stroke=\"black\"/>%n", x, TOP + PLOT_HEIGHT, x,
                    TOP + PLOT_HEIGHT + 6));
            svg.append(String.format(Locale.ROOT,
                    "<text x=\"%.1f\" y=\"%d\" font-size=\"13\" text-anchor=\"middle\">%s</text>%n", x,
                    TOP + PLOT_HEIGHT + 22, number(t)));
        }
        svg.append(String.format(Locale.ROOT,
                "<path d=\"M%d %d V%d H%d\" fill=\"none\" stroke=\"black\"/>%n", LEFT, TOP, TOP + PLOT_HEIGHT,
                LEFT + PLOT_WIDTH));
        svg.append(String.format(Locale.ROOT,
                "<text x=\"%d\" y=\"%d\" font-size=\"14\" text-anchor=\"middle\">%s</text>%n", LEFT + PLOT_WIDTH / 2,
                TOP + PLOT_HEIGHT + 44, escape(timeLabel)));
        svg.append(String.format(Locale.ROOT,
                "<text transform=\"translate(%d %d) rotate(-90)\" font-size=\"14\" text-anchor=\"middle\">%s</text>%n",
                LEFT - 60, TOP + PLOT_HEIGHT / 2, escape(survivalLabel)));

        int index = 0;
        List<String> names = new ArrayList<>(curves.keySet());
        for (String name : names) {
            SurvivalCurve curve = curves.get(name);
            String colour = COLOURS.get(index % COLOURS.size());
            String dash = DASHES.get(index % DASHES.size());
            svg.append("<g class=\"stratum\" data-stratum=\"").append(escape(name)).append("\">\n");
            svg.append(String.format(Locale.ROOT, "<path class=\"band\" d=\"%s\" fill=\"%s\" fill-opacity=\"0.18\" "
                    + "stroke=\"none\"/>%n", band(curve, axisMax), colour));
            svg.append(String.format(Locale.ROOT, "<path class=\"curve\" d=\"%s\" fill=\"none\" stroke=\"%s\" "
                    + "stroke-width=\"2.2\"%s/>%n", steps(curve, axisMax), colour,
                    dash.isEmpty() ? "" : " stroke-dasharray=\"" + dash + "\""));
            StringBuilder ticks = new StringBuilder();
            for (SurvivalCurve.Step s : curve.steps()) {
                if (s.censored() > 0) {
                    double x = x(s.time(), axisMax);
                    double y = y(s.survival());
                    ticks.append(String.format(Locale.ROOT, "M%.1f %.1f V%.1f ", x, y - 5, y + 5));
                }
            }
            if (ticks.length() > 0) {
                svg.append(String.format(Locale.ROOT, "<path class=\"censored\" d=\"%s\" stroke=\"%s\" "
                        + "stroke-width=\"1.5\"/>%n", ticks.toString().strip(), colour));
            }
            svg.append("</g>\n");
            // legend, top right
            int ly = TOP + 18 + 22 * index;
            int lx = LEFT + PLOT_WIDTH - 250;
            svg.append(String.format(Locale.ROOT, "<line x1=\"%d\" y1=\"%d\" x2=\"%d\" y2=\"%d\" stroke=\"%s\" "
                    + "stroke-width=\"3\"%s/>%n", lx, ly, lx + 34, ly, colour,
                    dash.isEmpty() ? "" : " stroke-dasharray=\"" + dash + "\""));
            svg.append(String.format(Locale.ROOT, "<text x=\"%d\" y=\"%d\" font-size=\"13\">%s (n = %d, %d events)</text>%n",
                    lx + 42, ly + 4, escape(name), curve.subjects(), curve.events()));
            index++;
        }

        // numbers at risk
        svg.append(String.format(Locale.ROOT, "<text x=\"%d\" y=\"%d\" font-size=\"13\" font-weight=\"bold\">"
                + "Number at risk</text>%n", 10, tableTop));
        for (int i = 0; i < names.size(); i++) {
            int ry = tableTop + 42 + 22 * i;
            String colour = COLOURS.get(i % COLOURS.size());
            svg.append(String.format(Locale.ROOT, "<text x=\"%d\" y=\"%d\" font-size=\"13\" fill=\"%s\" "
                    + "font-weight=\"bold\">%s</text>%n", 10, ry, colour, escape(names.get(i))));
            for (int time : riskTimes) {
                svg.append(String.format(Locale.ROOT, "<text class=\"at-risk\" x=\"%.1f\" y=\"%d\" font-size=\"13\" "
                        + "text-anchor=\"middle\">%d</text>%n", x(time, axisMax), ry,
                        curves.get(names.get(i)).atRisk(time)));
            }
        }
        for (int time : riskTimes) {
            svg.append(String.format(Locale.ROOT, "<text x=\"%.1f\" y=\"%d\" font-size=\"11\" text-anchor=\"middle\" "
                    + "fill=\"#444444\">day %d</text>%n", x(time, axisMax), tableTop + 20, time));
        }
        svg.append(String.format(Locale.ROOT, "<text x=\"%d\" y=\"%d\" font-size=\"12\" fill=\"#444444\">"
                + "Shaded: 95%% confidence band (Greenwood, log-log). Vertical ticks: censored patients.</text>%n",
                10, height - 12));
        svg.append("</svg>\n");
        return svg.toString();
    }

    /** The figure's facts as text: per stratum n, events, median with its CI, and S(t) with its CI at each time. */
    static String caption(String title, Map<String, SurvivalCurve> curves, List<Integer> times, String testLine) {
        StringBuilder text = new StringBuilder(title).append(". Kaplan-Meier estimates with 95% confidence bands "
                + "(Greenwood variance, log-log scale).");
        for (Map.Entry<String, SurvivalCurve> entry : curves.entrySet()) {
            SurvivalCurve curve = entry.getValue();
            text.append(' ').append(entry.getKey()).append(": ").append(curve.subjects()).append(" patients, ")
                    .append(curve.events()).append(" events; median ")
                    .append(curve.median().isPresent() ? number(curve.median().getAsDouble()) + " days" : "not reached")
                    .append(" (95% CI ").append(limit(curve.medianLower())).append(" to ")
                    .append(limit(curve.medianUpper())).append(")");
            for (int time : times) {
                SurvivalCurve.Step step = curve.stepAt(time).orElse(null);
                double s = curve.survivalAt(time);
                if (curve.steps().isEmpty() || time > curve.steps().get(curve.steps().size() - 1).time()) {
                    text.append(String.format(Locale.ROOT, "; day %d: beyond follow-up", time));
                    continue;
                }
                text.append(String.format(Locale.ROOT, "; day %d: %.1f%%", time, 100 * s));
                if (step != null && !Double.isNaN(step.lower())) {
                    text.append(String.format(Locale.ROOT, " (%.1f to %.1f)", 100 * step.lower(), 100 * step.upper()));
                }
                text.append(", ").append(curve.atRisk(time)).append(" at risk");
            }
            text.append('.');
        }
        if (!testLine.isEmpty()) {
            text.append(' ').append(testLine).append('.');
        }
        return text.toString();
    }

    static String testLine(LogRank.Result test) {
        if (Double.isNaN(test.chiSquare())) {
            return "";
        }
        return String.format(Locale.ROOT, "Log-rank test: chi-square %.2f on %d df, p = %s", test.chiSquare(),
                test.degreesOfFreedom(), test.pValue() < 0.001 ? "< 0.001" : String.format(Locale.ROOT, "%.3f",
                        test.pValue()));
    }

    private static String limit(java.util.OptionalDouble value) {
        return value.isPresent() ? number(value.getAsDouble()) : "not reached";
    }

    private static String steps(SurvivalCurve curve, double axisMax) {
        StringBuilder d = new StringBuilder(String.format(Locale.ROOT, "M%.1f %.1f", x(0, axisMax), y(1)));
        double last = 1.0;
        double lastTime = 0;
        for (SurvivalCurve.Step s : curve.steps()) {
            if (s.survival() != last) {
                d.append(String.format(Locale.ROOT, " H%.1f V%.1f", x(s.time(), axisMax), y(s.survival())));
                last = s.survival();
            }
            lastTime = s.time();
        }
        d.append(String.format(Locale.ROOT, " H%.1f", x(lastTime, axisMax)));
        return d.toString();
    }

    /** The band as one closed step polygon: along the upper limits, back along the lower ones. */
    private static String band(SurvivalCurve curve, double axisMax) {
        List<double[]> points = new ArrayList<>();
        double upper = 1.0;
        double lower = 1.0;
        points.add(new double[] {0, 1.0, 1.0});
        for (SurvivalCurve.Step s : curve.steps()) {
            if (Double.isNaN(s.lower())) {
                break;
            }
            if (s.upper() != upper || s.lower() != lower) {
                points.add(new double[] {s.time(), s.upper(), s.lower()});
                upper = s.upper();
                lower = s.lower();
            }
        }
        double end = curve.steps().isEmpty() ? 0 : curve.steps().get(curve.steps().size() - 1).time();
        for (SurvivalCurve.Step s : curve.steps()) {
            if (Double.isNaN(s.lower())) {
                end = s.time();
                break;
            }
        }
        StringBuilder d = new StringBuilder(String.format(Locale.ROOT, "M%.1f %.1f", x(0, axisMax), y(1)));
        for (int i = 1; i < points.size(); i++) {
            d.append(String.format(Locale.ROOT, " H%.1f V%.1f", x(points.get(i)[0], axisMax), y(points.get(i)[1])));
        }
        d.append(String.format(Locale.ROOT, " H%.1f", x(end, axisMax)));
        d.append(String.format(Locale.ROOT, " V%.1f", y(points.get(points.size() - 1)[2])));
        for (int i = points.size() - 1; i >= 1; i--) {
            d.append(String.format(Locale.ROOT, " H%.1f V%.1f", x(points.get(i)[0], axisMax), y(points.get(i - 1)[2])));
        }
        d.append(" Z");
        return d.toString();
    }

    private static double tickStep(double maxTime) {
        for (double step : new double[] {7, 14, 30, 60, 90, 180, 365, 730}) {
            if (maxTime / step <= 9) {
                return step;
            }
        }
        return Math.ceil(maxTime / 9 / 365) * 365;
    }

    private static double x(double time, double axisMax) {
        return LEFT + PLOT_WIDTH * time / axisMax;
    }

    private static double y(double survival) {
        return TOP + PLOT_HEIGHT * (1 - survival);
    }

    private static String number(double value) {
        return value == Math.rint(value) ? Long.toString((long) value) : String.format(Locale.ROOT, "%.1f", value);
    }

    private static String escape(String text) {
        return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace("\"", "&quot;");
    }
}
