-- Screening topics with their source departments and the records each sent (within the
-- caller's jurisdiction): records as sent, records matched to a person, primaries dispatched.
-- A district or street sees only the topics holding records of its jurisdiction.
-- grain: topic; params: scope String
SELECT
    t.topic_id AS topic_id, t.name AS topic_name, t.created_at AS created_at,
    t.window_start AS window_start, t.window_end AS window_end,
    arrayStringConcat(t.departments, '、') AS departments,
    ifNull(r.records, 0) AS records, ifNull(r.matched, 0) AS matched,
    ifNull(r.dispatched, 0) AS dispatched, ifNull(r.by_department, '') AS by_department
FROM epi.screening_topic AS t
LEFT JOIN
(
    SELECT topic_id, sum(n) AS records, sum(m) AS matched, sum(dsp) AS dispatched,
           arrayStringConcat(arraySort(groupArray(concat(d, ':', toString(n)))), ',') AS by_department
    FROM
    (
        SELECT r.topic_id AS topic_id, r.src_department AS d, toUInt64(count()) AS n,
               toUInt64(countIf(r.person_id != 0)) AS m,
               toUInt64(countIf(r.dispatched_at IS NOT NULL OR dd.record_id != 0)) AS dsp
        FROM epi.screening_record AS r
        LEFT JOIN (SELECT DISTINCT record_id FROM epi.screening_dispatch) AS dd ON dd.record_id = r.record_id
        WHERE startsWith(r.community_code, {scope:String})
        GROUP BY topic_id, d
    )
    GROUP BY topic_id
) AS r ON r.topic_id = t.topic_id
WHERE {scope:String} = '' OR r.records > 0
ORDER BY t.topic_id
