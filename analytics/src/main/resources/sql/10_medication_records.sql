-- Every medication order, dispense and administration as the server's timeline reads it (TimelineMapper,
-- MedicationEvent, MedicationClassifier): kind, status, whether it counts, start time (epoch seconds, UTC), days'
-- supply in whole days, and the drug class. Definitions: measures/README.md, "The record".
-- Pathling returns every column as a string (dateTime and decimal included): cast here, nowhere else.

CREATE OR REPLACE TEMP VIEW rx_value_sets AS
SELECT code,
       max(value_set = 'opioid-agonists-with-sequestered-antagonist') AS sequestered,
       max(value_set = 'opioid-agonists') AS agonist,
       max(value_set = 'long-acting-opioids') AS long_acting
FROM value_set_codes
WHERE system = 'http://www.nlm.nih.gov/research/umls/rxnorm'
GROUP BY code;

CREATE OR REPLACE TEMP VIEW medication_records AS
WITH raw AS (
  SELECT id, patient_id, 'order' AS kind, 3 AS kind_rank, status,
         coalesce(try_cast(authored_on AS TIMESTAMP), try_cast(validity_start AS TIMESTAMP),
                  try_cast(last_updated AS TIMESTAMP)) AS start_ts,
         try_cast(validity_end AS TIMESTAMP) AS end_ts,
         try_cast(supply_value AS DOUBLE) AS supply_value, coalesce(supply_code, supply_unit) AS supply_unit,
         rxnorm, hcpcs, CAST(NULL AS STRING) AS route
  FROM medication_requests
  UNION ALL
  SELECT id, patient_id, 'dispense', 2, status,
         coalesce(try_cast(handed_over AS TIMESTAMP), try_cast(prepared AS TIMESTAMP)),
         NULL, try_cast(days_supply AS DOUBLE), coalesce(days_supply_code, days_supply_unit), rxnorm, hcpcs, NULL
  FROM medication_dispenses
  UNION ALL
  SELECT id, patient_id, 'administration', 1, status,
         coalesce(try_cast(effective AS TIMESTAMP), try_cast(effective_start AS TIMESTAMP)),
         NULL, NULL, NULL, rxnorm, hcpcs, lower(coalesce(route_text, route_display))
  FROM medication_administrations
),
supplied AS (
  SELECT raw.*,
         -- UCUM d, wk, mo (30 days), h, or the unit's text; no unit means days; anything else: unknown.
         CASE lower(trim(coalesce(supply_unit, 'd')))
           WHEN 'd' THEN supply_value WHEN 'day' THEN supply_value WHEN 'days' THEN supply_value
           WHEN 'wk' THEN supply_value * 7 WHEN 'week' THEN supply_value * 7 WHEN 'weeks' THEN supply_value * 7
           WHEN 'mo' THEN supply_value * 30 WHEN 'month' THEN supply_value * 30 WHEN 'months' THEN supply_value * 30
           WHEN 'h' THEN supply_value / 24 WHEN 'hour' THEN supply_value / 24 WHEN 'hours' THEN supply_value / 24
         END AS supply_exact
  FROM raw
)
SELECT s.id,
       regexp_extract(s.patient_id, '([^/]+)$', 1) AS patient_id,
       s.kind, s.kind_rank,
       coalesce(lower(trim(s.status)), 'unknown') AS status,
       unix_seconds(s.start_ts) AS start_s,
       unix_seconds(s.end_ts) AS end_s,
       -- whole days, rounded half up as Math.round does
       CASE WHEN s.supply_exact >= 0 THEN CAST(floor(s.supply_exact + 0.5) AS BIGINT) END AS supply_days,
       CASE
         WHEN s.rxnorm = '637213' OR s.hcpcs = 'J2315' THEN 'naltrexone-extended-release'
         WHEN s.rxnorm = '1483744' THEN 'naltrexone-oral'
         WHEN s.rxnorm IN ('2570392', '2570399', '2570402', '2570405') THEN 'samidorphan-combination'
         WHEN s.rxnorm = '1551468' THEN 'bupropion-naltrexone'
         WHEN v.sequestered THEN 'opioid-long-acting'
         WHEN v.long_acting OR (v.agonist AND s.rxnorm IN ('6813', '1819')) THEN 'opioid-long-acting'
         WHEN v.agonist THEN 'opioid-short-acting'
         WHEN s.rxnorm = '7243' AND (s.route LIKE '%intramuscular%' OR s.route = 'im') THEN 'naltrexone-extended-release'
         WHEN s.rxnorm = '7243' THEN 'naltrexone-oral'
         WHEN s.rxnorm IN ('7242', '1191222', '1725059', '199059', '2592953', '2639721') THEN 'opioid-reversal-agent'
         ELSE 'other'
       END AS drug_class
FROM supplied s
LEFT JOIN rx_value_sets v ON v.code = s.rxnorm
WHERE s.patient_id IS NOT NULL AND s.start_ts IS NOT NULL;

-- MedicationEvent.counts(): completed administrations and dispenses; orders unless draft, cancelled or entered in
-- error (the view already leaves those out).
CREATE OR REPLACE TEMP VIEW counting_medications AS
SELECT *
FROM medication_records
WHERE CASE kind
        WHEN 'order' THEN status NOT IN ('draft', 'cancelled', 'entered-in-error')
        ELSE status = 'completed'
      END;
