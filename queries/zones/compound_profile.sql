-- Every residential compound with what a zone drawn over it would hold: residents, households,
-- property owners and special populations from the registry (grouped by compound, which the
-- engine answers from the registry's residents_by_compound_v2 projection; households are a
-- bitmap of their ids, exact), the cases living there (confirmed by 24:00 of the as-of day) and
-- the residents under control at that hour, each placed in their compound through the registry.
-- A compound is one point (its gate); zone rules decide on that point.
-- grain: compound; params: scope String, as_of Date
SELECT cp.compound_id AS compound_id, cp.name AS compound_name, cp.community_code AS community_code,
       cm.name AS community_name, cm.street_code AS street_code, s.name AS street_name,
       cm.district_code AS district_code, d.name AS district_name, cp.lon AS lon, cp.lat AS lat,
       ifNull(p.residents, 0) AS residents, ifNull(p.households, 0) AS households,
       ifNull(p.owners, 0) AS owners, ifNull(p.aged_80_plus, 0) AS aged_80_plus,
       ifNull(p.pregnant, 0) AS pregnant, ifNull(p.dialysis, 0) AS dialysis,
       ifNull(p.disabled, 0) AS disabled, ifNull(p.infant, 0) AS infant,
       ifNull(k.cases, 0) AS cases, ifNull(u.under_control, 0) AS under_control
FROM epi.compound AS cp
INNER JOIN epi.community AS cm ON cm.code = cp.community_code
INNER JOIN epi.street AS s ON s.code = cm.street_code
INNER JOIN epi.district AS d ON d.code = cm.district_code
LEFT JOIN
(
    SELECT compound_id, count() AS residents, groupBitmap(household_id) AS households,
           sum(is_owner) AS owners, sum(aged_80_plus) AS aged_80_plus, sum(pregnant) AS pregnant,
           sum(dialysis) AS dialysis, sum(disabled) AS disabled, sum(infant) AS infant
    FROM epi.person
    WHERE startsWith(community_code, {scope:String})
    GROUP BY compound_id
) AS p ON p.compound_id = cp.compound_id
LEFT JOIN
(
    -- the cases' registry rows only (person_id is the registry's sorting key)
    SELECT compound_id, count() AS cases
    FROM epi.person
    PREWHERE person_id IN (SELECT person_id FROM epi.case_record
                           WHERE toDate(confirmed_at, 'Asia/Shanghai') <= {as_of:Date})
    WHERE startsWith(community_code, {scope:String})
    GROUP BY compound_id
) AS k ON k.compound_id = cp.compound_id
LEFT JOIN
(
    -- up to a tenth of the city can be under control: both tables are sorted by person_id, so
    -- they are merged in that order instead of probing a hash set with every resident
    SELECT per.compound_id AS compound_id, count() AS under_control
    FROM epi.person AS per
    INNER JOIN
    (
        SELECT DISTINCT person_id FROM epi.control_episode
        WHERE toDate(quarantine_start, 'Asia/Shanghai') <= {as_of:Date}
          AND toDate(ifNull(monitoring_end, quarantine_end), 'Asia/Shanghai') > {as_of:Date}
    ) AS ctl ON ctl.person_id = per.person_id
    WHERE startsWith(per.community_code, {scope:String})
    GROUP BY compound_id
    SETTINGS join_algorithm = 'full_sorting_merge'
) AS u ON u.compound_id = cp.compound_id
WHERE startsWith(cp.community_code, {scope:String})
ORDER BY cp.compound_id
