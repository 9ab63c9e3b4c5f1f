-- Naive baseline for zones/compound_profile: every resident of the registry read and grouped
-- by compound at query time, the day's cases and people under control looked up as sets.
SELECT cp.compound_id AS compound_id, cp.name AS compound_name, cp.community_code AS community_code,
       cm.name AS community_name, cm.street_code AS street_code, s.name AS street_name,
       cm.district_code AS district_code, d.name AS district_name, cp.lon AS lon, cp.lat AS lat,
       ifNull(p.residents, 0) AS residents, ifNull(p.households, 0) AS households,
       ifNull(p.owners, 0) AS owners, ifNull(p.aged_80_plus, 0) AS aged_80_plus,
       ifNull(p.pregnant, 0) AS pregnant, ifNull(p.dialysis, 0) AS dialysis,
       ifNull(p.disabled, 0) AS disabled, ifNull(p.infant, 0) AS infant,
       ifNull(p.cases, 0) AS cases, ifNull(p.under_control, 0) AS under_control
FROM epi.compound AS cp
INNER JOIN epi.community AS cm ON cm.code = cp.community_code
INNER JOIN epi.street AS s ON s.code = cm.street_code
INNER JOIN epi.district AS d ON d.code = cm.district_code
LEFT JOIN
(
    -- one pass over the registry: the day's cases and people under control looked up as sets
    SELECT compound_id, count() AS residents, uniqExact(household_id) AS households,
           sum(is_owner) AS owners, sum(aged_80_plus) AS aged_80_plus, sum(pregnant) AS pregnant,
           sum(dialysis) AS dialysis, sum(disabled) AS disabled, sum(infant) AS infant,
           countIf(person_id IN (SELECT person_id FROM epi.case_record
                                 WHERE toDate(confirmed_at, 'Asia/Shanghai') <= {as_of:Date})) AS cases,
           countIf(person_id IN (SELECT person_id FROM epi.control_episode
                                 WHERE toDate(quarantine_start, 'Asia/Shanghai') <= {as_of:Date}
                                   AND toDate(ifNull(monitoring_end, quarantine_end), 'Asia/Shanghai') > {as_of:Date}))
               AS under_control
    FROM epi.person
    WHERE startsWith(community_code, {scope:String})
    GROUP BY compound_id
) AS p ON p.compound_id = cp.compound_id
WHERE startsWith(cp.community_code, {scope:String})
ORDER BY cp.compound_id
SETTINGS optimize_use_projections = 0
