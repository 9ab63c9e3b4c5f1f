-- Screening topics with their source departments and the records each sent (within the
-- caller's jurisdiction): records as sent, records matched to a person, primaries dispatched.
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
        SELECT topic_id, src_department AS d, toUInt64(count()) AS n, toUInt64(countIf(person_id != 0)) AS m,
               toUInt64(countIf(dispatched_at IS NOT NULL)) AS dsp
        FROM epi.screening_record
        WHERE startsWith(community_code, {scope:String})
        GROUP BY topic_id, d
    )
    GROUP BY topic_id
) AS r ON r.topic_id = t.topic_id
ORDER BY t.topic_id
