-- The per-patient table, de-identified: every date becomes a day offset from the patient's start (calendar days,
-- UTC, as the server's CSV export counts them: the start is day 0). The pseudonym and the identified columns
-- (patient_id, start_date) are added or dropped by the job (Pseudonyms), never written unless asked for.
-- Flags are 1 / 0, or NULL (written as NA) where the patient was not followed long enough.

CREATE OR REPLACE TEMP VIEW patient_table AS
WITH o AS (
  SELECT *, CAST(timestamp_seconds(start_s) AS DATE) AS start_date FROM patient_outcomes
)
SELECT patient_id,
       start_date,
       formulation,
       indication,
       datediff(CAST(timestamp_seconds(coverage_end_s) AS DATE), start_date) AS coverage_days,
       retained_30,
       retained_90,
       retained_180,
       injection_intervals_on_time,
       injection_intervals_late,
       pdc,
       datediff(CAST(timestamp_seconds(relapse_signal_s) AS DATE), start_date) AS relapse_signal_day,
       opioid_orders_during_blockade,
       datediff(CAST(timestamp_seconds(liver_elevation_s) AS DATE), start_date) AS liver_elevation_day,
       datediff(CAST(timestamp_seconds(overdose_s) AS DATE), start_date) AS overdose_day,
       datediff(CAST(timestamp_seconds(follow_up_end_s) AS DATE), start_date) AS follow_up_days,
       CASE WHEN death_s IS NOT NULL AND death_s <= follow_up_end_s THEN 'death'
            WHEN transfer_s IS NOT NULL AND transfer_s <= follow_up_end_s THEN 'transfer-out'
            ELSE 'end-of-study' END AS follow_up_ends_by,
       datediff(CAST(timestamp_seconds(retention_end_s) AS DATE), start_date) AS retention_days,
       CAST(retention_event AS INT) AS retention_event,
       CASE WHEN starts_with_order THEN
              datediff(CAST(timestamp_seconds(CASE WHEN first_dose_s <= follow_up_end_s THEN first_dose_s
                                                   ELSE follow_up_end_s END) AS DATE), start_date) END AS induction_days,
       CASE WHEN starts_with_order THEN CAST(coalesce(first_dose_s <= follow_up_end_s, false) AS INT) END AS induction_event,
       CASE WHEN NOT starts_with_order THEN NULL
            WHEN first_dose_s IS NOT NULL AND first_dose_s - start_s <= ${induction_window_days} * 86400 THEN 1
            WHEN follow_up_end_s >= start_s + ${induction_window_days} * 86400 THEN 0 END AS inducted_30,
       CASE WHEN first_dose_s <= follow_up_end_s THEN
              datediff(CAST(timestamp_seconds(coalesce(relapse_after_dose_s, follow_up_end_s)) AS DATE),
                       CAST(timestamp_seconds(first_dose_s) AS DATE)) END AS relapse_free_days,
       CASE WHEN first_dose_s <= follow_up_end_s THEN CAST(relapse_after_dose_s IS NOT NULL AS INT) END AS relapse_event,
       continuity_180
FROM o;
