-- Persons with exactly this name (rare characters compared as written), within the caller's
-- jurisdiction; the caller caps the rows.
-- grain: person; params: scope String, person_name String
SELECT p.person_id AS person_id, p.id_number AS id_number, p.name AS person_name, p.phone AS phone,
       toString(p.sex) AS sex, p.birth_date AS birth_date, p.community_code AS community_code, c.name AS community_name
FROM epi.person AS p
LEFT JOIN epi.community AS c ON c.code = p.community_code
WHERE p.name = {person_name:String} AND startsWith(p.community_code, {scope:String})
ORDER BY p.person_id
