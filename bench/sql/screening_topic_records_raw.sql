-- Naive side of queries/screening/topic_records.sql: the records completed from the registry
-- read with one OR (person id or ID number as written), which reads every ID number, and the
-- records matched by one string key over both. Same parameters and columns as the page's statement.
SELECT
    r.record_id AS record_id, r.topic_id AS topic_id, r.raw_id_number AS raw_id_number,
    r.raw_name AS raw_name, r.raw_phone AS raw_phone,
    if(r.person_id != 0, r.person_id, ifNull(p.person_id, 0)) AS person_id,
    multiIf(r.person_id != 0, 'source', ifNull(p.person_id, 0) != 0, 'id_number', '') AS matched_by,
    r.dup_group AS dup_group, r.is_primary AS is_primary,
    r.district_code AS district_code, substring(r.community_code, 1, 9) AS street_code,
    r.community_code AS community_code, s.name AS street_name, c.name AS community_name,
    p.id_number AS id_number, p.name AS person_name, p.phone AS phone,
    ifNull(h.color, '') AS health_code,
    if(dd.record_id = 0, r.dispatched_at, toNullable(toDateTime(dd.at, 'Asia/Shanghai'))) AS dispatched_at,
    if(o.record_id = 0, r.verified_at, toDateTime(o.at, 'Asia/Shanghai')) AS verified_at,
    if(o.record_id = 0, toString(r.outcome), o.outcome) AS outcome,
    if(o.record_id = 0, r.escalated, o.escalated) AS escalated,
    if(o.record_id = 0, '', o.operator) AS recorded_by,
    r.src_department AS src_department, r.src_category AS src_category,
    r.batch_id AS batch_id, r.source_row AS source_row
FROM
(
    -- the key a record is matched on: the person the source matched, else its ID number with
    -- spaces and dashes removed and x upper-cased
    SELECT *, if(person_id != 0, toString(person_id),
                 concat('id:', upper(replaceRegexpAll(raw_id_number, '[\\s-]', '')))) AS match_key
    FROM epi.screening_record
    WHERE topic_id = {topic_id:UInt16} AND startsWith(community_code, {scope:String})
) AS r
LEFT JOIN
(
    SELECT person_id, id_number, name, phone, key FROM epi.person
    ARRAY JOIN [toString(person_id), concat('id:', id_number)] AS key
    WHERE person_id IN (SELECT person_id FROM epi.screening_record WHERE topic_id = {topic_id:UInt16} AND person_id != 0)
       OR id_number IN (SELECT upper(replaceRegexpAll(raw_id_number, '[\\s-]', '')) FROM epi.screening_record
                        WHERE topic_id = {topic_id:UInt16} AND person_id = 0 AND raw_id_number != '')
) AS p ON p.key = r.match_key
LEFT JOIN
(
    SELECT person_id, toString(argMax(color, ts)) AS color FROM epi.health_code_change
    WHERE person_id IN (SELECT person_id FROM epi.screening_record WHERE topic_id = {topic_id:UInt16} AND person_id != 0)
       OR person_id IN (SELECT person_id FROM epi.person WHERE id_number IN (
              SELECT upper(replaceRegexpAll(raw_id_number, '[\\s-]', '')) FROM epi.screening_record
              WHERE topic_id = {topic_id:UInt16} AND person_id = 0 AND raw_id_number != ''))
    GROUP BY person_id
) AS h ON h.person_id = if(r.person_id != 0, r.person_id, ifNull(p.person_id, 0))
LEFT JOIN
(
    SELECT record_id, toString(argMax(outcome, recorded_at)) AS outcome, argMax(escalated, recorded_at) AS escalated,
           argMax(operator, recorded_at) AS operator, max(recorded_at) AS at
    FROM epi.screening_outcome
    WHERE topic_id = {topic_id:UInt16}
    GROUP BY record_id
) AS o ON o.record_id = r.record_id
LEFT JOIN
(
    SELECT record_id, min(dispatched_at) AS at FROM epi.screening_dispatch GROUP BY record_id
) AS dd ON dd.record_id = r.record_id
LEFT JOIN epi.street AS s ON s.code = substring(r.community_code, 1, 9)
LEFT JOIN epi.community AS c ON c.code = r.community_code
ORDER BY r.record_id
