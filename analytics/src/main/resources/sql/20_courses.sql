-- The cohort and each patient's course (TreatmentCourse.outcome): the first counting naltrexone record (order,
-- dispense or administration; statements never) up to the evaluation date starts the course and decides the
-- formulation; the patient is in the cohort when that start falls in the study period [period_start, period_end).
-- Ties at the same instant: administration, then dispense, then order, then resource id.

CREATE OR REPLACE TEMP VIEW naltrexone_records AS
SELECT *
FROM counting_medications
WHERE drug_class IN ('naltrexone-oral', 'naltrexone-extended-release')
  AND start_s <= ${as_of_s};

CREATE OR REPLACE TEMP VIEW first_naltrexone AS
SELECT patient_id, start_s, drug_class, kind
FROM (
  SELECT patient_id, start_s, drug_class, kind,
         row_number() OVER (PARTITION BY patient_id ORDER BY start_s, kind_rank, id) AS position
  FROM naltrexone_records
)
WHERE position = 1;

-- Indication (TreatmentCourse.indication): OUD if any OUD diagnosis is on record (not refuted or entered in error),
-- else AUD, else unknown; diagnoses classified by the server's ConditionClassifier (RecordInterpretation).
CREATE OR REPLACE TEMP VIEW courses AS
SELECT f.patient_id,
       f.start_s,
       CASE WHEN f.drug_class = 'naltrexone-extended-release' THEN 'injection' ELSE 'oral' END AS formulation,
       CASE
         WHEN max(d.condition_class = 'opioid-use-disorder') THEN 'oud'
         WHEN max(d.condition_class = 'alcohol-use-disorder') THEN 'aud'
         ELSE 'unknown'
       END AS indication
FROM first_naltrexone f
LEFT JOIN diagnosis_classes d ON d.patient_id = f.patient_id AND d.counts
WHERE f.start_s >= ${period_start_s} AND f.start_s < ${period_end_s}
GROUP BY f.patient_id, f.start_s, f.drug_class;
