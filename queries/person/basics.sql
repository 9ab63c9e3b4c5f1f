-- One person's basics: identity, residence (community → street → district, compound,
-- household), special-population flags, the current health-code colour and case status.
-- grain: person (empty outside the caller's jurisdiction); params: scope String, person_id UInt64
SELECT p.person_id AS person_id, p.id_number AS id_number, p.name AS person_name, p.phone AS phone,
       toString(p.sex) AS sex, p.birth_date AS birth_date, p.community_code AS community_code,
       c.name AS community_name, s.name AS street_name, d.name AS district_name,
       ifNull(cp.name, '') AS compound_name, p.household_id AS household_id, p.is_owner AS is_owner,
       p.aged_80_plus AS aged_80_plus, p.pregnant AS pregnant, p.dialysis AS dialysis,
       p.disabled AS disabled, p.infant AS infant,
       ifNull((SELECT toString(argMax(color, ts)) FROM epi.health_code_change WHERE person_id = {person_id:UInt64}), '')
           AS health_code,
       ifNull((SELECT any(concat(case_id, ' ', toString(kind))) FROM epi.case_record WHERE person_id = {person_id:UInt64}), '')
           AS case_status,
       p.src_department AS src_department, p.batch_id AS batch_id
FROM epi.person AS p
LEFT JOIN epi.community AS c ON c.code = p.community_code
LEFT JOIN epi.street AS s ON s.code = substring(p.community_code, 1, 9)
LEFT JOIN epi.district AS d ON d.code = substring(p.community_code, 1, 6)
LEFT JOIN epi.compound AS cp ON cp.compound_id = p.compound_id AND p.compound_id != 0
WHERE p.person_id = {person_id:UInt64} AND startsWith(p.community_code, {scope:String})
