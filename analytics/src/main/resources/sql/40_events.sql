-- Clinical events during a course (TreatmentCourse.firstRelapseSignal / flaggedOpioidOrders / firstLiverElevation /
-- firstOverdose). Each window is inclusive at both ends; "treatment end" is the earlier of the evaluation date and the
-- end of continuous coverage.

CREATE OR REPLACE TEMP VIEW course_windows AS
SELECT c.patient_id, c.start_s, c.formulation, c.indication, e.coverage_end_s,
       least(${as_of_s}, e.coverage_end_s) AS treatment_end_s
FROM courses c
JOIN coverage_ends e ON e.patient_id = c.patient_id;

-- Opioid urine drug screens that are reported results (final, amended, corrected) and positive. The result is read
-- from the coded value, its text, a string value, then the interpretation; the first word recognised decides.
CREATE OR REPLACE TEMP VIEW positive_opioid_screens AS
WITH screens AS (
  SELECT regexp_extract(u.patient_id, '([^/]+)$', 1) AS patient_id,
         unix_seconds(try_cast(u.effective AS TIMESTAMP)) AS effective_s,
         lower(trim(coalesce(u.status, ''))) AS status,
         coalesce(
           CASE WHEN lower(trim(u.result_code)) IN ('10828004', '260373001', 'pos', 'det', 'positive', 'detected', 'a') THEN 1
                WHEN lower(trim(u.result_code)) IN ('260385009', '260415000', 'neg', 'nd', 'negative', 'not detected', 'n') THEN 0 END,
           CASE WHEN lower(trim(u.result_concept_text)) IN ('10828004', '260373001', 'pos', 'det', 'positive', 'detected', 'a') THEN 1
                WHEN lower(trim(u.result_concept_text)) IN ('260385009', '260415000', 'neg', 'nd', 'negative', 'not detected', 'n') THEN 0 END,
           CASE WHEN lower(trim(u.result_text)) IN ('10828004', '260373001', 'pos', 'det', 'positive', 'detected', 'a') THEN 1
                WHEN lower(trim(u.result_text)) IN ('260385009', '260415000', 'neg', 'nd', 'negative', 'not detected', 'n') THEN 0 END,
           CASE WHEN lower(trim(u.interpretation)) IN ('10828004', '260373001', 'pos', 'det', 'positive', 'detected', 'a') THEN 1
                WHEN lower(trim(u.interpretation)) IN ('260385009', '260415000', 'neg', 'nd', 'negative', 'not detected', 'n') THEN 0 END
         ) AS positive
  FROM urine_drug_screens u
  JOIN value_set_codes v
    ON v.value_set = 'opioid-urine-drug-screens' AND v.system = 'http://loinc.org' AND v.code = u.loinc
  WHERE u.patient_id IS NOT NULL
)
SELECT patient_id, effective_s
FROM screens
WHERE positive = 1 AND status IN ('final', 'amended', 'corrected') AND effective_s IS NOT NULL;

-- An opioid (agonist or partial agonist, any duration) dispensed or administered.
CREATE OR REPLACE TEMP VIEW opioid_exposures AS
SELECT patient_id, start_s AS effective_s
FROM counting_medications
WHERE drug_class IN ('opioid-short-acting', 'opioid-long-acting') AND kind IN ('dispense', 'administration');

-- Overdose events: naloxone or nalmefene administered, or an opioid overdose diagnosis (onset, else recorded date).
CREATE OR REPLACE TEMP VIEW overdose_events_all AS
SELECT patient_id, start_s AS effective_s
FROM counting_medications
WHERE drug_class = 'opioid-reversal-agent' AND kind = 'administration'
UNION ALL
SELECT patient_id, onset_s
FROM diagnosis_classes
WHERE condition_class = 'opioid-overdose' AND onset_s IS NOT NULL;

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
  SELECT regexp_extract(l.patient_id, '([^/]+)$', 1) AS patient_id,
         unix_seconds(try_cast(l.effective AS TIMESTAMP)) AS effective_s,
         try_cast(l.value AS DECIMAL(38, 12)) AS value,
         coalesce(try_cast(l.upper_limit AS DECIMAL(38, 12)),
                  CASE l.loinc WHEN '1742-6' THEN CAST(${default_alt_uln} AS DECIMAL(38, 12))
                               ELSE CAST(${default_ast_uln} AS DECIMAL(38, 12)) END) AS upper_limit
  FROM liver_results l
  WHERE l.patient_id IS NOT NULL
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

-- Opioid orders written while opioids were blocked (OpioidBlockade, MedicationExposure): at the order's time T, some
-- counting blocker record started at or before T and either
-- * is an extended-release injection record (any kind) less than ${waning_end_days} days before T (blockade
--   ${injection_days} days, then the waning band), or
-- * is oral naltrexone or a combination blocker whose supply lasts until at least T - 24 h: an administration its
--   time; a dispense its time plus days' supply; an active order the later of its supply and validity end, and with
--   neither it is open-ended (still blocking at T); another order its time plus supply.
--   The 24 h tail is that of 50 mg oral naltrexone; this job does not read doses (100 / 150 mg have 48 / 72 h).
CREATE OR REPLACE TEMP VIEW flagged_opioid_orders AS
WITH opioid_orders AS (
  SELECT o.patient_id, o.id, o.start_s
  FROM counting_medications o
  JOIN course_windows w ON w.patient_id = o.patient_id
  WHERE o.kind = 'order' AND o.drug_class IN ('opioid-short-acting', 'opioid-long-acting')
    AND o.start_s >= w.start_s AND o.start_s <= ${as_of_s}
),
blockers AS (
  SELECT patient_id, drug_class, kind, status, start_s,
         CASE
           WHEN kind = 'administration' THEN start_s
           WHEN kind = 'dispense' THEN start_s + coalesce(supply_days, 0) * 86400
           WHEN status = 'active' THEN greatest(start_s + supply_days * 86400, end_s)
           ELSE start_s + coalesce(supply_days, 0) * 86400
         END AS last_present_s,
         kind = 'order' AND status = 'active' AND supply_days IS NULL AND end_s IS NULL AS open_ended
  FROM counting_medications
  WHERE drug_class IN ('naltrexone-oral', 'naltrexone-extended-release', 'samidorphan-combination',
                       'bupropion-naltrexone')
)
SELECT o.patient_id, count(DISTINCT o.id) AS flagged_orders
FROM opioid_orders o
JOIN blockers b
  ON b.patient_id = o.patient_id AND b.start_s <= o.start_s
 AND (CASE
        WHEN b.drug_class = 'naltrexone-extended-release' THEN o.start_s <= b.start_s + ${waning_end_days} * 86400
        ELSE b.open_ended OR o.start_s <= b.last_present_s + 86400
      END)
GROUP BY o.patient_id;
