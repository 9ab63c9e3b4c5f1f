-- Close and secondary contacts identified on the as-of day (and the day before); and the
-- 24-hour transfer cohort: contacts identified the day before (and two days before), whose
-- 24-hour window has closed by 24:00 of the as-of day (of the day before), with how many of
-- them were transferred within 24 h of identification. A cohort identified on the as-of day
-- itself would count transfers made after its 24:00.
-- grain: unit × kind; params: scope, unit, grain, as_of
SELECT
    substring(community_code, 1, {grain:UInt8}) AS unit_code,
    kind,
    sumIf(identified, day = {as_of:Date}) AS today,
    sumIf(identified, day = {as_of:Date} - 1) AS prev,
    sumIf(identified, day = {as_of:Date} - 1) AS today_cohort,
    sumIf(transferred_24h, day = {as_of:Date} - 1) AS today_24h,
    sumIf(identified, day = {as_of:Date} - 2) AS prev_cohort,
    sumIf(transferred_24h, day = {as_of:Date} - 2) AS prev_24h
FROM epi.agg_contacts_daily
WHERE startsWith(community_code, {scope:String}) AND startsWith(community_code, {unit:String})
  AND day BETWEEN {as_of:Date} - 2 AND {as_of:Date}
GROUP BY unit_code, kind
ORDER BY unit_code, kind
