-- One row per patient in the cohort: the server's PatientOutcome, plus follow-up and the time-to-event measures.
-- Times stay in epoch seconds here; 60_patient_table.sql turns them into day offsets for the de-identified output.

-- Follow-up ends at the evaluation date, at death, or at the first transfer out of care after the start.
CREATE OR REPLACE TEMP VIEW follow_up AS
WITH deaths AS (
  SELECT regexp_extract(id, '([^/]+)$', 1) AS patient_id,
         unix_seconds(try_cast(deceased AS TIMESTAMP)) AS death_s,
         try_cast(birth_date AS DATE) AS birth_date
  FROM patients
),
transfers AS (
  SELECT regexp_extract(t.patient_id, '([^/]+)$', 1) AS patient_id,
         unix_seconds(try_cast(t.discharged AS TIMESTAMP)) AS transfer_s
  FROM transfers_out t
  WHERE t.patient_id IS NOT NULL
)
SELECT c.patient_id,
       d.birth_date,
       min(CASE WHEN t.transfer_s >= c.start_s THEN t.transfer_s END) AS transfer_s,
       max(d.death_s) AS death_s,
       least(${as_of_s}, coalesce(max(d.death_s), ${as_of_s}),
             coalesce(min(CASE WHEN t.transfer_s >= c.start_s THEN t.transfer_s END), ${as_of_s})) AS follow_up_end_s
FROM courses c
LEFT JOIN deaths d ON d.patient_id = c.patient_id
LEFT JOIN transfers t ON t.patient_id = c.patient_id
GROUP BY c.patient_id, d.birth_date;

CREATE OR REPLACE TEMP VIEW first_doses AS
SELECT r.patient_id, min(r.start_s) AS first_dose_s
FROM naltrexone_records r
JOIN courses c ON c.patient_id = r.patient_id
WHERE r.kind IN ('administration', 'dispense')
GROUP BY r.patient_id;

-- Relapse-free survival events: at or after the first dose, up to the end of follow-up (not only during treatment).
CREATE OR REPLACE TEMP VIEW first_relapse_after_dose AS
WITH signals AS (
  SELECT * FROM positive_opioid_screens
  UNION ALL SELECT * FROM opioid_exposures
  UNION ALL SELECT * FROM overdose_events_all
)
SELECT d.patient_id, min(s.effective_s) AS relapse_s
FROM first_doses d
JOIN follow_up f ON f.patient_id = d.patient_id
JOIN signals s ON s.patient_id = d.patient_id AND s.effective_s >= d.first_dose_s AND s.effective_s <= f.follow_up_end_s
GROUP BY d.patient_id;

CREATE OR REPLACE TEMP VIEW patient_outcomes AS
SELECT w.patient_id,
       w.start_s,
       w.formulation,
       w.indication,
       w.coverage_end_s,
       CASE WHEN w.start_s + 30 * 86400 <= ${as_of_s} THEN CAST(w.coverage_end_s >= w.start_s + 30 * 86400 AS INT) END AS retained_30,
       CASE WHEN w.start_s + 90 * 86400 <= ${as_of_s} THEN CAST(w.coverage_end_s >= w.start_s + 90 * 86400 AS INT) END AS retained_90,
       CASE WHEN w.start_s + 180 * 86400 <= ${as_of_s} THEN CAST(w.coverage_end_s >= w.start_s + 180 * 86400 AS INT) END AS retained_180,
       coalesce(i.on_time, 0) AS injection_intervals_on_time,
       coalesce(i.late, 0) AS injection_intervals_late,
       p.pdc,
       r.relapse_s AS relapse_signal_s,
       coalesce(b.flagged_orders, 0) AS opioid_orders_during_blockade,
       l.elevation_s AS liver_elevation_s,
       o.overdose_s,
       f.follow_up_end_s,
       f.death_s,
       f.transfer_s,
       -- Retention (Kaplan-Meier): the event is a gap of more than grace days after continuous coverage, seen before
       -- follow-up ends; otherwise censored at the end of coverage or of follow-up, whichever is first.
       w.coverage_end_s + ${grace_days} * 86400 < f.follow_up_end_s AS retention_event,
       CASE WHEN w.coverage_end_s + ${grace_days} * 86400 < f.follow_up_end_s THEN w.coverage_end_s
            ELSE least(w.coverage_end_s, f.follow_up_end_s) END AS retention_end_s,
       -- Induction: courses that start with an order; the first dose is the first administration or dispense.
       coalesce(w.start_s = fo.first_order_s, false) AS starts_with_order,
       d.first_dose_s,
       -- Relapse-free survival from the first dose.
       rd.relapse_s AS relapse_after_dose_s,
       -- NQF 3175-style continuity: OUD, 18 or older at the start (when the birth date is known), followed 180 days.
       CASE WHEN w.indication = 'oud'
             AND (f.birth_date IS NULL OR add_months(f.birth_date, 18 * 12) <= CAST(timestamp_seconds(w.start_s) AS DATE))
             AND w.start_s + ${continuity_days} * 86400 <= f.follow_up_end_s
            THEN CAST(w.coverage_end_s >= w.start_s + ${continuity_days} * 86400 AS INT) END AS continuity_180
FROM course_windows w
JOIN follow_up f ON f.patient_id = w.patient_id
LEFT JOIN (SELECT patient_id, sum(CASE WHEN on_time THEN 1 ELSE 0 END) AS on_time,
                  sum(CASE WHEN on_time THEN 0 ELSE 1 END) AS late
           FROM injection_intervals GROUP BY patient_id) i ON i.patient_id = w.patient_id
LEFT JOIN oral_pdc p ON p.patient_id = w.patient_id
LEFT JOIN first_relapse_signal r ON r.patient_id = w.patient_id
LEFT JOIN flagged_opioid_orders b ON b.patient_id = w.patient_id
LEFT JOIN first_liver_elevation l ON l.patient_id = w.patient_id
LEFT JOIN first_overdose o ON o.patient_id = w.patient_id
LEFT JOIN first_doses d ON d.patient_id = w.patient_id
LEFT JOIN first_relapse_after_dose rd ON rd.patient_id = w.patient_id
LEFT JOIN (SELECT patient_id, min(start_s) AS first_order_s FROM naltrexone_records WHERE kind = 'order'
           GROUP BY patient_id) fo ON fo.patient_id = w.patient_id;
