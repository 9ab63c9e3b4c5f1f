-- Verification progress by topic and district: the primary record of each duplicate group is
-- the one dispatched, so counts are persons (groups). Outcome = the latest recorded in the
-- portal, else the one the record came with.
-- grain: topic × district; params: scope String
SELECT
    r.topic_id AS topic_id, any(t.name) AS topic_name, r.district_code AS district_code,
    toUInt64(count()) AS groups,
    toUInt64(countIf(r.dispatched_at IS NOT NULL)) AS dispatched,
    toUInt64(countIf(cur = 'verified')) AS verified,
    toUInt64(countIf(cur = 'unreachable')) AS unreachable,
    toUInt64(countIf(cur = 'uncooperative')) AS uncooperative,
    toUInt64(countIf(r.dispatched_at IS NOT NULL AND cur = 'pending')) AS awaiting,
    toUInt64(countIf(esc = 1)) AS escalated
FROM
(
    SELECT r.topic_id AS topic_id, r.district_code AS district_code,
           if(dd.record_id = 0, r.dispatched_at, toNullable(toDateTime(dd.at, 'Asia/Shanghai'))) AS dispatched_at,
           if(o.record_id = 0, toString(r.outcome), o.outcome) AS cur,
           if(o.record_id = 0, r.escalated, o.escalated) AS esc
    FROM epi.screening_record AS r
    LEFT JOIN
    (
        SELECT record_id, toString(argMax(outcome, recorded_at)) AS outcome, argMax(escalated, recorded_at) AS escalated
        FROM epi.screening_outcome
        WHERE startsWith(community_code, {scope:String})
        GROUP BY record_id
    ) AS o ON o.record_id = r.record_id
    LEFT JOIN
    (
        SELECT record_id, min(dispatched_at) AS at FROM epi.screening_dispatch GROUP BY record_id
    ) AS dd ON dd.record_id = r.record_id
    WHERE r.is_primary = 1 AND startsWith(r.community_code, {scope:String})
) AS r
INNER JOIN epi.screening_topic AS t ON t.topic_id = r.topic_id
GROUP BY r.topic_id, r.district_code
ORDER BY r.topic_id, r.district_code
