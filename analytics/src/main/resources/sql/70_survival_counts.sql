-- Follow-up counts for the Kaplan-Meier estimates: per analysis, stratification and stratum, the number of events
-- and censorings on each day. Aggregated here so that the estimator (survival/, on the driver) sees at most one row
-- per day and stratum, whatever the size of the cohort.
--   retention    from the start: discontinuation (a gap over grace days after continuous coverage)
--   induction    from the first order, courses that start with one: the first dose
--   relapse-free from the first dose: the first positive opioid screen, opioid dispense or administration, or overdose

CREATE OR REPLACE TEMP VIEW survival_subjects AS
SELECT formulation, indication, analysis, time_days, event
FROM patient_table
LATERAL VIEW stack(3,
  'retention', retention_days, retention_event,
  'induction', induction_days, induction_event,
  'relapse-free', relapse_free_days, relapse_event) s AS analysis, time_days, event
WHERE time_days IS NOT NULL;

CREATE OR REPLACE TEMP VIEW survival_counts AS
SELECT analysis, 'all' AS stratifier, 'all' AS stratum, time_days, sum(event) AS events, sum(1 - event) AS censored
FROM survival_subjects GROUP BY analysis, time_days
UNION ALL
SELECT analysis, 'formulation', formulation, time_days, sum(event), sum(1 - event)
FROM survival_subjects GROUP BY analysis, formulation, time_days
UNION ALL
SELECT analysis, 'indication', indication, time_days, sum(event), sum(1 - event)
FROM survival_subjects GROUP BY analysis, indication, time_days;
