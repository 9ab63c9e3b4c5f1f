-- Screening: persons dispatched for verification and verified on the as-of day, and those
-- dispatched but not yet verified at 24:00; with the day before.
-- grain: unit; params: scope, unit, grain, as_of
SELECT
    substring(community_code, 1, {grain:UInt8}) AS unit_code,
    sumIf(persons, dispatched_day = {as_of:Date}) AS dispatched,
    sumIf(persons, dispatched_day = {as_of:Date} - 1) AS dispatched_prev,
    sumIf(persons, verified_day = {as_of:Date}) AS verified,
    sumIf(persons, verified_day = {as_of:Date} - 1) AS verified_prev,
    sumIf(persons, verified_day > {as_of:Date}) AS awaiting,
    sumIf(persons, verified_day > {as_of:Date} - 1 AND dispatched_day <= {as_of:Date} - 1) AS awaiting_prev
FROM epi.agg_screening_daily
WHERE startsWith(community_code, {scope:String}) AND startsWith(community_code, {unit:String})
  AND dispatched_day <= {as_of:Date}
GROUP BY unit_code
ORDER BY unit_code
