-- Naive zone statistics: every resident's compound gate tested against the polygon, straight
-- from the raw person rows, with cases and people under control looked up per person.
SELECT count() AS residents, uniqExact(p.household_id) AS households, uniqExact(p.compound_id) AS compounds,
       sum(p.is_owner) AS owners, sum(p.aged_80_plus) + sum(p.pregnant) + sum(p.dialysis) + sum(p.disabled)
       + sum(p.infant) AS special,
       countIf(p.person_id IN (SELECT person_id FROM epi.case_record
                               WHERE toDate(confirmed_at, 'Asia/Shanghai') <= {as_of:Date})) AS cases
FROM epi.person AS p
INNER JOIN epi.compound AS c ON c.compound_id = p.compound_id
WHERE pointInPolygon((c.lon, c.lat), {polygon:Array(Tuple(Float64, Float64))})
