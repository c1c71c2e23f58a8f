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

-- Indication (TreatmentCourse.indication): OUD if any OUD diagnosis is on record (not refuted or entered in error:
-- the view leaves those out), else AUD, else unknown. SNOMED codes of the ConditionClassifier; ICD-10-CM F11 / F10.
CREATE OR REPLACE TEMP VIEW diagnosis_classes AS
SELECT regexp_extract(patient_id, '([^/]+)$', 1) AS patient_id,
       CASE
         WHEN system = 'http://snomed.info/sct' AND code IN ('5602001', '75544000', '724653003', '1081000119105',
                                                             '191821007') THEN 'opioid-use-disorder'
         WHEN system = 'http://snomed.info/sct' AND code IN ('1336085007', '66590003', '15167005', '7200002')
           THEN 'alcohol-use-disorder'
         WHEN system = 'http://snomed.info/sct' AND code = '55680006' THEN 'opioid-overdose'
         WHEN system = 'http://hl7.org/fhir/sid/icd-10-cm' AND code IN ('F11.13', 'F11.23', 'F11.93') THEN 'other'
         WHEN system = 'http://hl7.org/fhir/sid/icd-10-cm' AND code LIKE 'F11%' THEN 'opioid-use-disorder'
         WHEN system = 'http://hl7.org/fhir/sid/icd-10-cm' AND code LIKE 'F10%' THEN 'alcohol-use-disorder'
         WHEN system = 'http://hl7.org/fhir/sid/icd-10-cm'
              AND (code LIKE 'T40.0%' OR code LIKE 'T40.1%' OR code LIKE 'T40.2%' OR code LIKE 'T40.3%'
                   OR code LIKE 'T40.4%' OR code LIKE 'T40.6%') THEN 'opioid-overdose'
         ELSE 'other'
       END AS condition_class,
       unix_seconds(coalesce(try_cast(onset AS TIMESTAMP), try_cast(recorded AS TIMESTAMP))) AS onset_s
FROM diagnoses
WHERE patient_id IS NOT NULL;

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
LEFT JOIN diagnosis_classes d ON d.patient_id = f.patient_id
WHERE f.start_s >= ${period_start_s} AND f.start_s < ${period_end_s}
GROUP BY f.patient_id, f.start_s, f.drug_class;
