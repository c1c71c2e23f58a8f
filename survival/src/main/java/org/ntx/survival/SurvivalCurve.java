package org.ntx.survival;

import java.util.List;
import java.util.Optional;
import java.util.OptionalDouble;

/**
 * A Kaplan-Meier curve with its pointwise confidence band, as {@link KaplanMeier} estimated it.
 *
 * @param subjects   subjects in the estimate
 * @param events     events observed
 * @param confidence level of the band (0.95)
 * @param steps      one row per distinct follow-up time (event or censoring), in time order
 */
public record SurvivalCurve(long subjects, long events, double confidence, List<Step> steps) {

    /**
     * The curve just after {@code time}.
     *
     * @param atRisk        subjects still followed just before {@code time} (those censored at it included)
     * @param events        events at {@code time}
     * @param censored      censorings at {@code time}
     * @param survival      Kaplan-Meier estimate S(t)
     * @param standardError Greenwood standard error of S(t); NaN once S(t) is 0
     * @param lower         lower confidence limit (log-log scale); 1 before the first event, NaN once S(t) is 0
     * @param upper         upper confidence limit
     */
    public record Step(double time, long atRisk, long events, long censored, double survival, double standardError,
                       double lower, double upper) {}

    public SurvivalCurve {
        steps = List.copyOf(steps);
    }

    /** S(t): 1 before the first event, then the value of the last step at or before {@code time}. */
    public double survivalAt(double time) {
        return stepAt(time).map(Step::survival).orElse(1.0);
    }

    /** The last step at or before {@code time}, if any. */
    public Optional<Step> stepAt(double time) {
        Step found = null;
        for (Step step : steps) {
            if (step.time() > time) {
                break;
            }
            found = step;
        }
        return Optional.ofNullable(found);
    }

    /** Subjects still followed at {@code time}: follow-up time at least {@code time} (the number at risk). */
    public long atRisk(double time) {
        long leftBefore = 0;
        for (Step step : steps) {
            if (step.time() >= time) {
                break;
            }
            leftBefore += step.events() + step.censored();
        }
        return subjects - leftBefore;
    }

    /** The median: the first time at which S(t) is 0.5 or less; empty while the curve stays above 0.5. */
    public OptionalDouble median() {
        return firstTimeAtOrBelowHalf(Step::survival);
    }

    /**
     * Confidence limits of the median in the manner of Brookmeyer and Crowley (1982), read off the pointwise band as R's
     * {@code survfit} does: the lower limit is the first time the band's lower edge reaches 0.5 or less, the upper
     * limit the first time its upper edge does. Either may be empty (not reached within follow-up; the band is
     * undefined, NaN, once S(t) is 0).
     */
    public OptionalDouble medianLower() {
        return firstTimeAtOrBelowHalf(Step::lower);
    }

    public OptionalDouble medianUpper() {
        return firstTimeAtOrBelowHalf(Step::upper);
    }

    private OptionalDouble firstTimeAtOrBelowHalf(java.util.function.ToDoubleFunction<Step> value) {
        for (Step step : steps) {
            double v = value.applyAsDouble(step);
            if (!Double.isNaN(v) && v <= 0.5) {
                return OptionalDouble.of(step.time());
            }
        }
        return OptionalDouble.empty();
    }
}
