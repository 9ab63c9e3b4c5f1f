-- Naive, full shape of cockpit/contacts_by_unit: every control episode read, the 24 h transfer
-- worked out row by row, for the cohort identified the day before (its window closed by 24:00).
SELECT substring(community_code, 1, {grain:UInt8}) AS unit_code, toString(kind) AS kind,
       toUInt64(countIf(d = {as_of:Date})) AS today,
       toUInt64(countIf(d = {as_of:Date} - 1)) AS prev,
       toUInt64(countIf(d = {as_of:Date} - 1)) AS today_cohort,
       toUInt64(countIf(d = {as_of:Date} - 1 AND moved)) AS today_24h,
       toUInt64(countIf(d = {as_of:Date} - 2)) AS prev_cohort,
       toUInt64(countIf(d = {as_of:Date} - 2 AND moved)) AS prev_24h
FROM
(
    SELECT community_code, kind, toDate(identified_at, 'Asia/Shanghai') AS d,
           transferred_at IS NOT NULL AND dateDiff('second', identified_at, assumeNotNull(transferred_at)) <= 86400 AS moved
    FROM epi.control_episode
)
WHERE startsWith(community_code, {scope:String}) AND startsWith(community_code, {unit:String})
  AND d BETWEEN {as_of:Date} - 2 AND {as_of:Date}
GROUP BY unit_code, kind ORDER BY unit_code, kind
