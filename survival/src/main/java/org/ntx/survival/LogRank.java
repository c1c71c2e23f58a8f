package org.ntx.survival;

import org.apache.commons.math3.distribution.ChiSquaredDistribution;
import org.apache.commons.math3.linear.Array2DRowRealMatrix;
import org.apache.commons.math3.linear.ArrayRealVector;
import org.apache.commons.math3.linear.LUDecomposition;
import org.apache.commons.math3.linear.RealMatrix;
import org.apache.commons.math3.linear.RealVector;

import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * The log-rank (Mantel-Haenszel) test that two or more survival curves are equal (Mantel 1966; Peto and Peto 1972;
 * R's {@code survdiff} with rho = 0). At each event time, each group's expected events are its share of those at
 * risk times all events there, with the hypergeometric variance; the statistic is (O - E)' V^-1 (O - E) over all
 * groups but the last, chi-square with k - 1 degrees of freedom (p-value from Commons Math).
 */
public final class LogRank {

    private LogRank() {}

    /** One group's part: subjects, observed and expected events. */
    public record Group(String name, long subjects, long observed, double expected) {}

    /**
     * @param groups     in the order given
     * @param chiSquare  the statistic; NaN when it cannot be formed (fewer than two groups with subjects, or no events)
     * @param pValue     upper tail of the chi-square distribution; NaN with the statistic
     */
    public record Result(List<Group> groups, double chiSquare, int degreesOfFreedom, double pValue) {
        public Result {
            groups = List.copyOf(groups);
        }
    }

    public static Result test(Map<String, ? extends Collection<TimeCounts>> groups) {
        List<String> names = new ArrayList<>();
        List<TreeMap<Double, long[]>> tallies = new ArrayList<>();
        groups.forEach((name, counts) -> {
            TreeMap<Double, long[]> byTime = KaplanMeier.byTime(counts);
            if (!byTime.isEmpty()) {
                names.add(name);
                tallies.add(byTime);
            }
        });
        int k = names.size();
        long[] subjects = new long[k];
        long[] atRisk = new long[k];
        for (int g = 0; g < k; g++) {
            subjects[g] = tallies.get(g).values().stream().mapToLong(c -> c[0] + c[1]).sum();
            atRisk[g] = subjects[g];
        }
        TreeSet<Double> times = new TreeSet<>();
        tallies.forEach(t -> times.addAll(t.keySet()));

        double[] observed = new double[k];
        double[] expected = new double[k];
        double[][] variance = new double[k][k];
        for (double time : times) {
            long[] d = new long[k];
            long[] c = new long[k];
            long n = 0;
            long events = 0;
            for (int g = 0; g < k; g++) {
                long[] here = tallies.get(g).get(time);
                if (here != null) {
                    d[g] = here[0];
                    c[g] = here[1];
                }
                n += atRisk[g];
                events += d[g];
            }
            if (events > 0) {
                double spread = n > 1 ? (double) events * (n - events) / (n - 1) : 0.0;
                for (int g = 0; g < k; g++) {
                    observed[g] += d[g];
                    double share = (double) atRisk[g] / n;
                    expected[g] += events * share;
                    for (int h = 0; h < k; h++) {
                        double other = (double) atRisk[h] / n;
                        variance[g][h] += spread * ((g == h ? share : 0.0) - share * other);
                    }
                }
            }
            for (int g = 0; g < k; g++) {
                atRisk[g] -= d[g] + c[g];
            }
        }

        List<Group> parts = new ArrayList<>();
        for (int g = 0; g < k; g++) {
            parts.add(new Group(names.get(g), subjects[g], Math.round(observed[g]), expected[g]));
        }
        int df = k - 1;
        double chiSquare = Double.NaN;
        double pValue = Double.NaN;
        if (df >= 1) {
            RealVector difference = new ArrayRealVector(df);
            RealMatrix v = new Array2DRowRealMatrix(df, df);
            for (int g = 0; g < df; g++) {
                difference.setEntry(g, observed[g] - expected[g]);
                for (int h = 0; h < df; h++) {
                    v.setEntry(g, h, variance[g][h]);
                }
            }
            LUDecomposition lu = new LUDecomposition(v);
            if (lu.getSolver().isNonSingular()) {
                chiSquare = difference.dotProduct(lu.getSolver().solve(difference));
                pValue = 1.0 - new ChiSquaredDistribution(df).cumulativeProbability(chiSquare);
            }
        }
        return new Result(parts, chiSquare, df, pValue);
    }

    /** Convenience for a fixed order of groups. */
    public static Result test(List<String> order, Map<String, ? extends Collection<TimeCounts>> groups) {
        Map<String, Collection<TimeCounts>> ordered = new LinkedHashMap<>();
        for (String name : order) {
            if (groups.containsKey(name)) {
                ordered.put(name, groups.get(name));
            }
        }
        return test(ordered);
    }
}
