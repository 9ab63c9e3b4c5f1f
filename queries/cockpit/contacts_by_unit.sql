-- Close and secondary contacts identified on the as-of day (and the day before), and how
-- many of them were transferred within 24 h of identification.
-- grain: unit × kind; params: scope, unit, grain, as_of
SELECT
    substring(community_code, 1, {grain:UInt8}) AS unit_code,
    kind,
    sumIf(identified, day = {as_of:Date}) AS today,
    sumIf(transferred_24h, day = {as_of:Date}) AS today_24h,
    sumIf(identified, day = {as_of:Date} - 1) AS prev,
    sumIf(transferred_24h, day = {as_of:Date} - 1) AS prev_24h
FROM epi.agg_contacts_daily
WHERE startsWith(community_code, {scope:String}) AND startsWith(community_code, {unit:String})
  AND day BETWEEN {as_of:Date} - 1 AND {as_of:Date}
GROUP BY unit_code, kind
ORDER BY unit_code, kind
