-- Every case confirmed by 24:00 of the as-of day with the gate of the compound they live in.
-- grain: case; params: scope String, as_of Date
SELECT c.case_id AS case_id, c.confirmed_at AS confirmed_at, toString(c.kind) AS kind, c.cluster AS cluster,
       p.compound_id AS compound_id, cp.name AS compound_name, cp.lon AS lon, cp.lat AS lat,
       substring(c.community_code, 1, 6) AS district_code
FROM epi.case_record AS c
INNER JOIN
(
    SELECT person_id, compound_id FROM epi.person
    WHERE person_id IN (SELECT person_id FROM epi.case_record)
) AS p ON p.person_id = c.person_id
INNER JOIN epi.compound AS cp ON cp.compound_id = p.compound_id
WHERE toDate(c.confirmed_at, 'Asia/Shanghai') <= {as_of:Date} AND startsWith(c.community_code, {scope:String})
ORDER BY c.confirmed_at, c.case_id
