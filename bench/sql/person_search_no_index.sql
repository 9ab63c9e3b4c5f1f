-- Naive person search: the same lookup with the skip indexes switched off, so every granule of
-- epi.person is read (what the search costs without the bloom filters on id_number and phone).
-- params: scope String, id_number String, phone String
SELECT p.person_id AS person_id, p.id_number AS id_number, p.name AS person_name, p.phone AS phone,
       toString(p.sex) AS sex, p.birth_date AS birth_date, p.community_code AS community_code, c.name AS community_name
FROM epi.person AS p
LEFT JOIN epi.community AS c ON c.code = p.community_code
WHERE (p.id_number = {id_number:String} OR p.phone = {phone:String}) AND startsWith(p.community_code, {scope:String})
ORDER BY p.person_id
SETTINGS use_skip_indexes = 0
