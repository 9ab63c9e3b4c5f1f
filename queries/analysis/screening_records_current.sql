-- Screening source records with their current state: the outcome recorded in the portal when
-- there is one (the latest), else the one the record came with; dispatched when seeded so or
-- dispatched from the portal. The ad-hoc analysis reads this as its "排查记录" relation and adds
-- its own filters and the caller's scope around it.
-- grain: source record; params: scope String
SELECT
    r.record_id AS record_id, r.topic_id AS topic_id, r.raw_name AS raw_name,
    r.raw_id_number AS raw_id_number, r.raw_phone AS raw_phone, r.person_id AS person_id,
    r.dup_group AS dup_group, r.is_primary AS is_primary, r.district_code AS district_code,
    r.community_code AS community_code,
    if(dd.record_id = 0, r.dispatched_at, toNullable(toDateTime(dd.at, 'Asia/Shanghai'))) AS dispatched_at,
    if(o.record_id = 0, r.verified_at, toNullable(toDateTime(o.at, 'Asia/Shanghai'))) AS verified_at,
    if(o.record_id = 0, toString(r.outcome), o.outcome) AS outcome,
    if(o.record_id = 0, r.escalated, o.escalated) AS escalated,
    r.src_department AS src_department
FROM epi.screening_record AS r
LEFT JOIN
(
    SELECT record_id, toString(argMax(outcome, recorded_at)) AS outcome, argMax(escalated, recorded_at) AS escalated,
           max(recorded_at) AS at
    FROM epi.screening_outcome
    WHERE startsWith(community_code, {scope:String})
    GROUP BY record_id
) AS o ON o.record_id = r.record_id
LEFT JOIN
(
    SELECT record_id, min(dispatched_at) AS at FROM epi.screening_dispatch GROUP BY record_id
) AS dd ON dd.record_id = r.record_id
WHERE startsWith(r.community_code, {scope:String})
