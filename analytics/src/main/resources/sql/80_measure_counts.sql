-- The MeasureReport's populations (OutcomeTally): per measure and stratum, the initial population (patients in the
-- stratum), the denominator and the numerator. Strata: all, formulation (oral, injection), indication (oud, aud,
-- unknown). The measure codes are those of the server's $naltrexone-outcomes, plus induction-30 and continuity-180.

CREATE OR REPLACE TEMP VIEW measure_rows AS
SELECT formulation, indication, measure, denominator, numerator
FROM patient_table
LATERAL VIEW stack(11,
  'retention-30', CAST(retained_30 IS NOT NULL AS BIGINT), CAST(coalesce(retained_30, 0) AS BIGINT),
  'retention-90', CAST(retained_90 IS NOT NULL AS BIGINT), CAST(coalesce(retained_90, 0) AS BIGINT),
  'retention-180', CAST(retained_180 IS NOT NULL AS BIGINT), CAST(coalesce(retained_180, 0) AS BIGINT),
  'injection-on-time', CAST(injection_intervals_on_time + injection_intervals_late AS BIGINT), CAST(injection_intervals_on_time AS BIGINT),
  'oral-pdc-adherent', CAST(pdc IS NOT NULL AS BIGINT), CAST(coalesce(pdc >= ${adherent_pdc}, false) AS BIGINT),
  'relapse-signal', CAST(1 AS BIGINT), CAST(relapse_signal_day IS NOT NULL AS BIGINT),
  'opioid-order-during-blockade', CAST(1 AS BIGINT), CAST(opioid_orders_during_blockade > 0 AS BIGINT),
  'liver-elevation', CAST(1 AS BIGINT), CAST(liver_elevation_day IS NOT NULL AS BIGINT),
  'overdose-event', CAST(1 AS BIGINT), CAST(overdose_day IS NOT NULL AS BIGINT),
  'induction-30', CAST(inducted_30 IS NOT NULL AS BIGINT), CAST(coalesce(inducted_30, 0) AS BIGINT),
  'continuity-180', CAST(continuity_180 IS NOT NULL AS BIGINT), CAST(coalesce(continuity_180, 0) AS BIGINT)
) m AS measure, denominator, numerator;

CREATE OR REPLACE TEMP VIEW measure_counts AS
SELECT measure, 'all' AS stratifier, 'all' AS stratum, count(*) AS initial_population,
       sum(denominator) AS denominator, sum(numerator) AS numerator
FROM measure_rows GROUP BY measure
UNION ALL
SELECT measure, 'formulation', formulation, count(*), sum(denominator), sum(numerator)
FROM measure_rows GROUP BY measure, formulation
UNION ALL
SELECT measure, 'indication', indication, count(*), sum(denominator), sum(numerator)
FROM measure_rows GROUP BY measure, indication;

-- What the report adds beside the proportions: opioid orders during a blockade (count), mean oral PDC.
CREATE OR REPLACE TEMP VIEW measure_extras AS
SELECT 'all' AS stratifier, 'all' AS stratum, sum(opioid_orders_during_blockade) AS flagged_orders,
       count(pdc) AS pdc_courses, avg(pdc) AS pdc_mean
FROM patient_table
UNION ALL
SELECT 'formulation', formulation, sum(opioid_orders_during_blockade), count(pdc), avg(pdc)
FROM patient_table GROUP BY formulation
UNION ALL
SELECT 'indication', indication, sum(opioid_orders_during_blockade), count(pdc), avg(pdc)
FROM patient_table GROUP BY indication;

-- Days between consecutive injections, in the server's buckets.
CREATE OR REPLACE TEMP VIEW injection_interval_histogram AS
SELECT bucket, count(*) AS intervals
FROM (
  SELECT CASE WHEN interval_days <= 28 THEN '<=28' WHEN interval_days <= 35 THEN '29-35'
              WHEN interval_days <= 42 THEN '36-42' WHEN interval_days <= 56 THEN '43-56' ELSE '>56' END AS bucket
  FROM injection_intervals i
  JOIN patient_table p ON p.patient_id = i.patient_id
)
GROUP BY bucket;

-- Retention on every day of follow-up, per formulation (the research page's step curve; the server's
-- OutcomeTally.RetentionCurve): on day d, the patients followed at least d whole 24-hour days up to the evaluation
-- date (at risk; at most 3650) and of those the ones continuously covered through day d (retained).
CREATE OR REPLACE TEMP VIEW retention_curve AS
WITH p AS (
  SELECT formulation,
         least(followed, 3650) AS followed,
         least(followed, covered, 3650) AS covered
  FROM (SELECT formulation,
               CAST(greatest(0, floor((${as_of_s} - start_s) / 86400)) AS BIGINT) AS followed,
               CAST(greatest(0, floor((coverage_end_s - start_s) / 86400)) AS BIGINT) AS covered
        FROM patient_outcomes)
),
days AS (
  SELECT formulation, day
  FROM (SELECT formulation, max(followed) AS last_day FROM p GROUP BY formulation)
  LATERAL VIEW explode(sequence(0L, last_day)) AS day
),
followed AS (SELECT formulation, followed AS day, count(*) AS n FROM p GROUP BY formulation, followed),
covered AS (SELECT formulation, covered AS day, count(*) AS n FROM p GROUP BY formulation, covered)
SELECT d.formulation, d.day,
       sum(coalesce(f.n, 0)) OVER w AS at_risk,
       sum(coalesce(c.n, 0)) OVER w AS retained
FROM days d
LEFT JOIN followed f ON f.formulation = d.formulation AND f.day = d.day
LEFT JOIN covered c ON c.formulation = d.formulation AND c.day = d.day
WINDOW w AS (PARTITION BY d.formulation ORDER BY d.day DESC ROWS BETWEEN UNBOUNDED PRECEDING AND CURRENT ROW);
