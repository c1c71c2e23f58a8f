package org.ntx.survival;

import org.apache.commons.math3.distribution.NormalDistribution;

import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * The Kaplan-Meier product-limit estimator with Greenwood's variance and a pointwise confidence band on the log-log
 * scale (Kalbfleisch and Prentice 1980; R's {@code survfit(conf.type = "log-log")}):
 * <ul>
 *   <li>S(t) = product over event times t_i &le; t of (1 - d_i / n_i), where n_i is the number still followed just
 *       before t_i (subjects censored at t_i count as at risk there: events come first at tied times);</li>
 *   <li>Var S(t) = S(t)^2 * sum d_i / (n_i (n_i - d_i)) (Greenwood 1926);</li>
 *   <li>band: S(t)^exp(&plusmn;z * se), se = sqrt(sum d_i / (n_i (n_i - d_i))) / |log S(t)|, z the normal quantile
 *       from Commons Math. It stays within [0, 1] by construction.</li>
 * </ul>
 * Pure: no I/O, no clock; the same counts always give the same curve.
 */
public final class KaplanMeier {

    private KaplanMeier() {}

    /** One curve from follow-up counts (times in any order, repeated times added together). */
    public static SurvivalCurve estimate(Collection<TimeCounts> counts, double confidence) {
        if (!(confidence > 0 && confidence < 1)) {
            throw new IllegalArgumentException("confidence must lie between 0 and 1: " + confidence);
        }
        double z = new NormalDistribution().inverseCumulativeProbability(1 - (1 - confidence) / 2);
        TreeMap<Double, long[]> byTime = byTime(counts);
        long subjects = byTime.values().stream().mapToLong(c -> c[0] + c[1]).sum();
        long atRisk = subjects;
        long events = 0;
        double survival = 1.0;
        double greenwood = 0.0;
        List<SurvivalCurve.Step> steps = new ArrayList<>();
        for (Map.Entry<Double, long[]> entry : byTime.entrySet()) {
            long d = entry.getValue()[0];
            long c = entry.getValue()[1];
            if (d > 0) {
                survival *= 1.0 - (double) d / atRisk;
                greenwood = atRisk > d ? greenwood + (double) d / ((double) atRisk * (atRisk - d)) : Double.NaN;
                events += d;
            }
            double standardError = survival > 0 ? survival * Math.sqrt(greenwood) : Double.NaN;
            double lower;
            double upper;
            if (survival >= 1.0) {
                lower = 1.0;
                upper = 1.0;
            } else if (survival <= 0.0 || Double.isNaN(greenwood)) {
                lower = Double.NaN;
                upper = Double.NaN;
            } else {
                double se = Math.sqrt(greenwood) / Math.abs(Math.log(survival));
                lower = Math.pow(survival, Math.exp(z * se));
                upper = Math.pow(survival, Math.exp(-z * se));
            }
            steps.add(new SurvivalCurve.Step(entry.getKey(), atRisk, d, c, survival, standardError, lower, upper));
            atRisk -= d + c;
        }
        return new SurvivalCurve(subjects, events, confidence, steps);
    }

    static TreeMap<Double, long[]> byTime(Collection<TimeCounts> counts) {
        TreeMap<Double, long[]> byTime = new TreeMap<>();
        for (TimeCounts count : counts) {
            long[] sums = byTime.computeIfAbsent(count.time(), t -> new long[2]);
            sums[0] += count.events();
            sums[1] += count.censored();
        }
        byTime.values().removeIf(c -> c[0] + c[1] == 0);
        return byTime;
    }
}
