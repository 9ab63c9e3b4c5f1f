-- New cases by day of confirmation and unit, split by where they were found (docs/guide/outlook.md):
-- 管控内 (in_control) when, at its confirmation, the person was under control — an open control
-- episode (centralized or home quarantine, home health monitoring; an episode that ended with
-- the person becoming a case ends at the confirmation, which still counts) — or lived in a
-- compound of a sealed (封控, high) zone or in a community of a controlled (管控, medium) zone in
-- force; 社会面 (community) otherwise. As-of cut: a case of day D is classified with the
-- episodes identified and the zones started by 24:00 of D, nothing learnt later. Zones published
-- from a drawn plan carry only a polygon, no compound or community, and do not count here.
-- The day's cases are made once (a materialized CTE) for the four places that read them.
-- grain: day × unit (first {grain} digits of the case's community code)
-- params: scope String, unit String, grain UInt8, date_from Date, as_of Date
WITH
    cases AS MATERIALIZED
    (
        SELECT c.case_id AS case_id, c.person_id AS person_id, c.confirmed_at AS confirmed_at,
               toDate(c.confirmed_at, 'Asia/Shanghai') AS day, c.community_code AS community_code,
               p.compound_id AS compound_id
        FROM epi.case_record AS c
        LEFT JOIN (SELECT person_id, any(compound_id) AS compound_id FROM epi.person
                   WHERE person_id IN (SELECT person_id FROM epi.case_record
                                       WHERE startsWith(community_code, {scope:String})
                                         AND startsWith(community_code, {unit:String}))
                   GROUP BY person_id) AS p
            ON p.person_id = c.person_id
        WHERE startsWith(c.community_code, {scope:String}) AND startsWith(c.community_code, {unit:String})
          AND c.confirmed_at >= toDateTime({date_from:Date}, 'Asia/Shanghai')
          AND c.confirmed_at < toDateTime({as_of:Date} + 1, 'Asia/Shanghai')
    ),
    controlled AS
    (
        SELECT k.case_id AS case_id
        FROM cases AS k
        INNER JOIN
        (
            SELECT person_id, identified_at, quarantine_start, quarantine_end, monitoring_end
            FROM epi.control_episode
            WHERE person_id IN (SELECT person_id FROM cases)
        ) AS e ON e.person_id = k.person_id
        WHERE e.identified_at < toDateTime(k.day + 1, 'Asia/Shanghai')
          AND e.quarantine_start <= k.confirmed_at
          AND k.confirmed_at <= if(e.monitoring_end IS NULL, e.quarantine_end, assumeNotNull(e.monitoring_end))

        UNION ALL

        SELECT k.case_id
        FROM cases AS k
        INNER JOIN epi.risk_zone AS z ON z.compound_id = k.compound_id
        WHERE z.tier = 'high' AND z.compound_id != 0
          AND z.start_at <= k.confirmed_at AND (z.lifted_at IS NULL OR z.lifted_at > k.confirmed_at)

        UNION ALL

        SELECT k.case_id
        FROM cases AS k
        INNER JOIN epi.risk_zone AS z ON z.community_code = k.community_code
        WHERE z.tier IN ('high', 'medium') AND z.compound_id = 0 AND z.community_code != ''
          AND z.start_at <= k.confirmed_at AND (z.lifted_at IS NULL OR z.lifted_at > k.confirmed_at)
    )
SELECT
    day,
    substring(community_code, 1, {grain:UInt8}) AS unit_code,
    toUInt64(count()) AS cases,
    toUInt64(countIf(NOT found_in_control)) AS community,
    toUInt64(countIf(found_in_control)) AS in_control
FROM (SELECT day, community_code, case_id IN (SELECT case_id FROM controlled) AS found_in_control FROM cases)
GROUP BY day, unit_code
ORDER BY day, unit_code
SETTINGS enable_materialized_cte = 1
