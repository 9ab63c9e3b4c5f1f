-- Persons whose phone is exactly the normalised search value, within the caller's
-- jurisdiction (the bloom-filter index on phone skips the granules that cannot hold it).
-- grain: person; params: scope String, phone String
SELECT p.person_id AS person_id, p.id_number AS id_number, p.name AS person_name, p.phone AS phone,
       toString(p.sex) AS sex, p.birth_date AS birth_date, p.community_code AS community_code, c.name AS community_name
FROM epi.person AS p
LEFT JOIN epi.community AS c ON c.code = p.community_code
WHERE p.phone = {phone:String} AND startsWith(p.community_code, {scope:String})
ORDER BY p.person_id
