-- Covered periods and continuous coverage (TreatmentCourse.coverage / continuousEnd):
-- * each extended-release injection (an administration or dispense; orders do not cover) covers ${injection_days} days;
-- * each oral dispense covers its exposure (MedicationExposure: its days' supply, 30 days when it states none),
--   starting when the previous oral supply runs out if it was refilled early; oral orders cover their exposure the
--   same way (supply with every refill, or validity), but only in a course with no oral dispense on record;
-- * a record whose exposure is only "on file" (an old active order not known to be taken) covers nothing;
-- * covered periods separated by at most ${grace_days} days are continuous; the course's continuous coverage ends at
--   the end of the last period reached that way from the start.

CREATE OR REPLACE TEMP VIEW oral_supply_events AS
WITH oral AS (
  SELECT r.patient_id, r.id, r.kind, r.kind_rank, r.start_s, r.covers, r.exposure_s AS supply_s,
         max(r.kind = 'dispense') OVER (PARTITION BY r.patient_id) AS course_has_dispense
  FROM naltrexone_records r
  JOIN courses c ON c.patient_id = r.patient_id
  WHERE r.drug_class = 'naltrexone-oral' AND r.kind IN ('dispense', 'order')
)
SELECT patient_id, id, kind_rank, start_s, supply_s
FROM oral
WHERE covers AND (kind = 'dispense' OR NOT course_has_dispense);

-- Early refills carried over: supply_end(n) = max(start(n), supply_end(n-1)) + supply(n), which unrolls to
-- cumulative_supply(n) + max over k <= n of (start(k) - cumulative_supply(k-1)): a running sum and a running max.
CREATE OR REPLACE TEMP VIEW oral_supply AS
WITH sums AS (
  SELECT *, sum(supply_s) OVER w AS cumulative_s
  FROM oral_supply_events
  WINDOW w AS (PARTITION BY patient_id ORDER BY start_s, kind_rank, id ROWS BETWEEN UNBOUNDED PRECEDING AND CURRENT ROW)
),
ends AS (
  SELECT *, cumulative_s + max(start_s - (cumulative_s - supply_s)) OVER w AS end_s
  FROM sums
  WINDOW w AS (PARTITION BY patient_id ORDER BY start_s, kind_rank, id ROWS BETWEEN UNBOUNDED PRECEDING AND CURRENT ROW)
)
SELECT patient_id,
       greatest(start_s, coalesce(lag(end_s) OVER (PARTITION BY patient_id ORDER BY start_s, kind_rank, id), start_s)) AS from_s,
       end_s AS to_s
FROM ends;

CREATE OR REPLACE TEMP VIEW coverage_intervals AS
SELECT r.patient_id, r.start_s AS from_s, r.start_s + ${injection_days} * 86400 AS to_s
FROM naltrexone_records r
JOIN courses c ON c.patient_id = r.patient_id
WHERE r.drug_class = 'naltrexone-extended-release' AND r.kind <> 'order' AND r.covers
UNION ALL
SELECT patient_id, from_s, to_s FROM oral_supply;

-- Walk the periods in order of their start: each may begin at most grace days after the coverage reached so far
-- (the start itself, or the latest end before it); the first one that begins later breaks the continuous block.
CREATE OR REPLACE TEMP VIEW coverage_ends AS
WITH ordered AS (
  SELECT i.patient_id, i.from_s, i.to_s,
         greatest(c.start_s, coalesce(max(i.to_s) OVER (PARTITION BY i.patient_id ORDER BY i.from_s, i.to_s
                                                        ROWS BETWEEN UNBOUNDED PRECEDING AND 1 PRECEDING),
                                      c.start_s)) AS reached_s
  FROM coverage_intervals i
  JOIN courses c ON c.patient_id = i.patient_id
),
first_break AS (
  SELECT patient_id, min(CASE WHEN from_s > reached_s + ${grace_days} * 86400 THEN from_s END) AS break_s
  FROM ordered
  GROUP BY patient_id
)
SELECT c.patient_id,
       greatest(c.start_s, coalesce(max(CASE WHEN b.break_s IS NULL OR o.from_s < b.break_s THEN o.to_s END),
                                    c.start_s)) AS coverage_end_s
FROM courses c
LEFT JOIN ordered o ON o.patient_id = c.patient_id
LEFT JOIN first_break b ON b.patient_id = c.patient_id
GROUP BY c.patient_id, c.start_s;

-- Consecutive injections (administrations only, as given), distinct instants, up to the evaluation date.
CREATE OR REPLACE TEMP VIEW injection_intervals AS
WITH given AS (
  SELECT DISTINCT r.patient_id, r.start_s
  FROM naltrexone_records r
  JOIN courses c ON c.patient_id = r.patient_id
  WHERE r.drug_class = 'naltrexone-extended-release' AND r.kind = 'administration'
),
paired AS (
  SELECT patient_id, start_s - lag(start_s) OVER (PARTITION BY patient_id ORDER BY start_s) AS interval_s
  FROM given
)
SELECT patient_id,
       interval_s,
       floor(interval_s / 86400) AS interval_days,
       interval_s <= (${injection_days} + ${grace_days}) * 86400 AS on_time
FROM paired
WHERE interval_s IS NOT NULL;

-- Proportion of days covered, oral courses: over the first ${pdc_window_days} days (or up to the evaluation date),
-- the share of days whose noon lies in some covered period (all periods, not only the continuous block).
CREATE OR REPLACE TEMP VIEW oral_pdc AS
WITH windows AS (
  SELECT patient_id, start_s,
         floor((least(${as_of_s}, start_s + ${pdc_window_days} * 86400) - start_s) / 86400) AS window_days
  FROM courses
  WHERE formulation = 'oral'
),
days AS (
  SELECT patient_id, window_days, start_s + d * 86400 + 43200 AS noon_s
  FROM windows
  LATERAL VIEW explode(sequence(0L, CAST(window_days AS BIGINT) - 1)) AS d
  WHERE window_days > 0
),
covered AS (
  SELECT d.patient_id, d.window_days, d.noon_s,
         max(i.patient_id IS NOT NULL) AS is_covered
  FROM days d
  LEFT JOIN coverage_intervals i
    ON i.patient_id = d.patient_id AND d.noon_s >= i.from_s AND d.noon_s < i.to_s
  GROUP BY d.patient_id, d.window_days, d.noon_s
)
SELECT patient_id, sum(CASE WHEN is_covered THEN 1 ELSE 0 END) / max(window_days) AS pdc
FROM covered
GROUP BY patient_id;
