-- The record as the server reads it. medication_records, lab_results and diagnosis_classes are not computed here:
-- RecordInterpretation maps each patient's exported resources with the server's own TimelineMapper, terminology and
-- rules (MedicationExposure, OpioidBlockade), the code the CDS cards and $naltrexone-outcomes run, and registers
-- one row per record (measures/README.md, "The record"). Times are epoch seconds (UTC).
--   medication_records: id, patient_id, kind (administration, dispense, order, statement), kind_rank (ties at one
--     instant), status, counts (R1), drug_class (R4), opioid, start_s (R2), covers (naltrexone: its exposure covers
--     days, V1-V4; an order only on file does not), exposure_s (how long the drug is present after start_s),
--     blocked (opioid orders: opioids were blocked when it was written, M5)
--   lab_results: patient_id, test (alt, ast, opioid-urine-screen), effective_s, counts, positive_screen, value,
--     upper_limit (in the default limit's unit)
--   diagnosis_classes: patient_id, condition_class, counts (not refuted or entered in error), onset_s

-- Records that count (MedicationEvent.counts()); statements never start or cover a course.
CREATE OR REPLACE TEMP VIEW counting_medications AS
SELECT *
FROM medication_records
WHERE counts AND kind <> 'statement';
