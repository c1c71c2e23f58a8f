-- Clinical events during a course (TreatmentCourse.firstRelapseSignal / flaggedOpioidOrders / firstLiverElevation /
-- firstOverdose). Each window is inclusive at both ends; "treatment end" is the earlier of the evaluation date and the
-- end of continuous coverage.

CREATE OR REPLACE TEMP VIEW course_windows AS
SELECT c.patient_id, c.start_s, c.formulation, c.indication, e.coverage_end_s,
       least(${as_of_s}, e.coverage_end_s) AS treatment_end_s
FROM courses c
JOIN coverage_ends e ON e.patient_id = c.patient_id;

-- Opioid urine drug screens that count (final, amended, corrected) and are positive, as the server's LabClassifier
-- and TimelineMapper read them (every coding, value, text and interpretation).
CREATE OR REPLACE TEMP VIEW positive_opioid_screens AS
SELECT patient_id, effective_s
FROM lab_results
WHERE test = 'opioid-urine-screen' AND counts AND positive_screen;

-- An opioid (agonist or partial agonist, any duration) dispensed or administered.
CREATE OR REPLACE TEMP VIEW opioid_exposures AS
SELECT patient_id, start_s AS effective_s
FROM counting_medications
WHERE opioid AND kind IN ('dispense', 'administration');

-- Overdose events: naloxone or nalmefene administered, or an opioid overdose diagnosis (onset, else recorded date).
CREATE OR REPLACE TEMP VIEW overdose_events_all AS
SELECT patient_id, start_s AS effective_s
FROM counting_medications
WHERE drug_class = 'opioid-reversal-agent' AND kind = 'administration'
UNION ALL
SELECT patient_id, onset_s
FROM diagnosis_classes
WHERE condition_class = 'opioid-overdose' AND counts AND onset_s IS NOT NULL;

CREATE OR REPLACE TEMP VIEW first_relapse_signal AS
SELECT w.patient_id, min(s.effective_s) AS relapse_s
FROM course_windows w
JOIN (SELECT * FROM positive_opioid_screens UNION ALL SELECT * FROM opioid_exposures) s
  ON s.patient_id = w.patient_id AND s.effective_s >= w.start_s AND s.effective_s <= w.treatment_end_s
GROUP BY w.patient_id;

-- ALT or AST above ${liver_elevation}x the upper limit of normal (the result's reference range, else
-- ${default_alt_uln} / ${default_ast_uln} U/L), the ratio rounded to 4 decimals as the server compares it.
CREATE OR REPLACE TEMP VIEW first_liver_elevation AS
WITH results AS (
  SELECT l.patient_id,
         l.effective_s,
         try_cast(l.value AS DECIMAL(38, 12)) AS value,
         coalesce(try_cast(l.upper_limit AS DECIMAL(38, 12)),
                  CASE l.test WHEN 'alt' THEN CAST(${default_alt_uln} AS DECIMAL(38, 12))
                              ELSE CAST(${default_ast_uln} AS DECIMAL(38, 12)) END) AS upper_limit
  FROM lab_results l
  WHERE l.test IN ('alt', 'ast') AND l.counts
)
SELECT w.patient_id, min(r.effective_s) AS elevation_s
FROM course_windows w
JOIN results r
  ON r.patient_id = w.patient_id AND r.effective_s >= w.start_s AND r.effective_s <= w.treatment_end_s
WHERE r.value IS NOT NULL AND r.upper_limit > 0
  AND round(r.value / r.upper_limit, 4) > ${liver_elevation}
GROUP BY w.patient_id;

-- Overdose during treatment or within ${overdose_follow_up_days} days after continuous coverage ended.
CREATE OR REPLACE TEMP VIEW first_overdose AS
SELECT w.patient_id, min(o.effective_s) AS overdose_s
FROM course_windows w
JOIN overdose_events_all o
  ON o.patient_id = w.patient_id AND o.effective_s >= w.start_s
 AND o.effective_s <= least(${as_of_s}, w.coverage_end_s + ${overdose_follow_up_days} * 86400)
GROUP BY w.patient_id;

-- Opioid orders written while opioids were blocked: the rules' OpioidBlockade at the order's time (blocked), the
-- reading behind the CDS blockade-conflict card (injection blockade and waning band, oral naltrexone or a combination
-- blocker's supply plus the tail of its dose: 24 h for 50 mg, 48 h for 100 mg, 72 h for 150 mg).
CREATE OR REPLACE TEMP VIEW flagged_opioid_orders AS
SELECT o.patient_id, count(*) AS flagged_orders
FROM counting_medications o
JOIN course_windows w ON w.patient_id = o.patient_id
WHERE o.kind = 'order' AND o.opioid AND o.blocked
  AND o.start_s >= w.start_s AND o.start_s <= ${as_of_s}
GROUP BY o.patient_id;
