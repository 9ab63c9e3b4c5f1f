-- Naive, full shape of cockpit/screening_by_unit: every screening record read; a group counts
-- by its primary (dispatched) record.
SELECT
    substring(community_code, 1, {grain:UInt8}) AS unit_code,
    toUInt64(countIf(dispatched_day = {as_of:Date})) AS dispatched,
    toUInt64(countIf(dispatched_day = {as_of:Date} - 1)) AS dispatched_prev,
    toUInt64(countIf(verified_day = {as_of:Date})) AS verified,
    toUInt64(countIf(verified_day = {as_of:Date} - 1)) AS verified_prev,
    toUInt64(countIf(verified_day > {as_of:Date})) AS awaiting,
    toUInt64(countIf(verified_day > {as_of:Date} - 1 AND dispatched_day <= {as_of:Date} - 1)) AS awaiting_prev
FROM
(
    SELECT community_code, toDate(assumeNotNull(dispatched_at), 'Asia/Shanghai') AS dispatched_day,
           if(verified_at IS NULL, toDate('2149-06-06'), toDate(assumeNotNull(verified_at), 'Asia/Shanghai')) AS verified_day
    FROM epi.screening_record
    WHERE is_primary = 1 AND dispatched_at IS NOT NULL
)
WHERE startsWith(community_code, {scope:String}) AND startsWith(community_code, {unit:String})
  AND dispatched_day <= {as_of:Date}
GROUP BY unit_code
ORDER BY unit_code
