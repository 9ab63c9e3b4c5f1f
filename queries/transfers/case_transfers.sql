-- Each case's way to the public-health treatment centre: confirmed → 120 dispatched → arrived,
-- with the minutes for each step.
-- grain: case; params: scope String, date_from Date, as_of Date
SELECT
    c.case_id AS case_id, toString(c.kind) AS kind, c.community_code AS home_community_code,
    c.confirmed_at AS confirmed_at, t.dispatched_at AS dispatched_at, t.arrived_at AS arrived_at,
    dateDiff('minute', c.confirmed_at, t.dispatched_at) AS min_to_dispatch,
    dateDiff('minute', t.dispatched_at, t.arrived_at) AS min_on_the_way,
    dateDiff('minute', c.confirmed_at, t.arrived_at) AS min_total,
    t.vehicle AS vehicle, t.destination AS destination
FROM epi.case_record AS c
INNER JOIN epi.transfer AS t ON t.person_id = c.person_id AND t.subject = 'case'
WHERE startsWith(c.community_code, {scope:String})
  AND toDate(c.confirmed_at, 'Asia/Shanghai') BETWEEN {date_from:Date} AND {as_of:Date}
ORDER BY confirmed_at, case_id
