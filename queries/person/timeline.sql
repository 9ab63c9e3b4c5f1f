-- Everything known about one person as one timeline: vaccination doses, health-code changes,
-- screening records (with the latest outcome), contact edges (as contact and as source),
-- 120 transfers, control episodes, samples and results, case confirmation, and one row per day
-- of trajectory. Appeals carry no person key and cannot be linked to a person.
-- grain: event; params: scope String, person_id UInt64 (empty outside the caller's jurisdiction)
SELECT ts, kind, title, detail, source
FROM
(
    SELECT toDateTime(vaccinated_on, 'Asia/Shanghai') AS ts, 'vaccination' AS kind,
           concat('第 ', toString(dose), ' 剂') AS title, toString(vaccine) AS detail,
           toString(src_department) AS source
    FROM epi.vaccination WHERE person_id = {person_id:UInt64}

    UNION ALL
    SELECT ts, 'health_code', toString(color), toString(reason), toString(src_department)
    FROM epi.health_code_change WHERE person_id = {person_id:UInt64}

    UNION ALL
    SELECT ifNull(r.dispatched_at, t.created_at), 'screening', t.name,
           concat(if(r.is_primary = 1, '下发核查', '重复来源记录'), '；',
                  concat('screening_', if(o.record_id = 0, toString(r.outcome), o.outcome)), if(if(o.record_id = 0, r.escalated, o.escalated) = 1, '；已转流调', ''),
                  '；记录 ', toString(r.record_id)),
           toString(r.src_department)
    FROM epi.screening_record AS r
    INNER JOIN epi.screening_topic AS t ON t.topic_id = r.topic_id
    LEFT JOIN
    (
        SELECT record_id, toString(argMax(outcome, recorded_at)) AS outcome, argMax(escalated, recorded_at) AS escalated
        FROM epi.screening_outcome
        WHERE record_id IN (SELECT record_id FROM epi.screening_record WHERE person_id = {person_id:UInt64})
        GROUP BY record_id
    ) AS o ON o.record_id = r.record_id
    WHERE r.person_id = {person_id:UInt64}

    UNION ALL
    SELECT identified_at, 'contact', if(hop = 1, 'close_contact', 'secondary_contact'),
           concat('病例 ', case_id, '；', toString(found_by), '；接触于 ', formatDateTime(exposure_at, '%m-%d %H:%i', 'Asia/Shanghai')),
           toString(src_department)
    FROM epi.contact_edge WHERE to_person_id = {person_id:UInt64}

    UNION ALL
    SELECT identified_at, 'contact', 'source_of_contact',
           concat('病例 ', case_id, '；其接触者 ', toString(to_person_id)), toString(src_department)
    FROM epi.contact_edge WHERE from_person_id = {person_id:UInt64}

    UNION ALL
    SELECT dispatched_at, 'transfer', destination,
           concat(vehicle, '；到达 ', formatDateTime(arrived_at, '%m-%d %H:%i', 'Asia/Shanghai')), toString(src_department)
    FROM epi.transfer WHERE person_id = {person_id:UInt64}

    UNION ALL
    SELECT quarantine_start, 'control', toString(kind),
           concat('至 ', formatDateTime(quarantine_end, '%m-%d %H:%i', 'Asia/Shanghai'),
                  if(monitoring_end IS NULL, '', concat('，健康监测至 ', formatDateTime(assumeNotNull(monitoring_end), '%m-%d', 'Asia/Shanghai'))),
                  '；', toString(outcome), if(hotel_id = 0, '', concat('；隔离点 ', toString(hotel_id)))),
           toString(src_department)
    FROM epi.control_episode WHERE person_id = {person_id:UInt64}

    UNION ALL
    SELECT sampled_at, 'sample', toString(result),
           concat(toString(purpose), '；', if(pool_size = 1, '单管', concat(toString(pool_size), '混1')),
                  if(result_at IS NULL, '', concat('；结果 ', formatDateTime(assumeNotNull(result_at), '%m-%d %H:%i', 'Asia/Shanghai')))),
           toString(src_department)
    FROM epi.sample WHERE person_id = {person_id:UInt64}

    UNION ALL
    SELECT confirmed_at, 'case', toString(kind), concat(case_id, '；', toString(found_by)), toString(src_department)
    FROM epi.case_record WHERE person_id = {person_id:UInt64}

    UNION ALL
    SELECT min(tp.ts), 'trajectory', concat(toString(count()), ' 个轨迹点'),
           concat(formatDateTime(min(tp.ts), '%H:%i', 'Asia/Shanghai'), '–', formatDateTime(max(tp.ts), '%H:%i', 'Asia/Shanghai'),
                  if(countIf(tp.place_id != 0) = 0, '',
                     concat('；场所 ', arrayStringConcat(arraySlice(groupUniqArrayIf(pl.name, tp.place_id != 0), 1, 5), '、')))),
           'BIGDATA'
    FROM epi.trajectory_point AS tp
    LEFT JOIN epi.place AS pl ON pl.place_id = tp.place_id
    WHERE tp.person_id = {person_id:UInt64}
    GROUP BY toDate(tp.ts, 'Asia/Shanghai')
)
WHERE {person_id:UInt64} IN (SELECT person_id FROM epi.person
                             WHERE person_id = {person_id:UInt64} AND startsWith(community_code, {scope:String}))
ORDER BY ts, kind
