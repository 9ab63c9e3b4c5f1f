-- Naive person search by ID: normalise every stored number at search time (spaces out, x upper)
-- instead of normalising the typed one once, so no index can help.
-- params: scope String, id_number String
SELECT person_id, id_number, name AS person_name, phone, community_code
FROM epi.person
WHERE upper(replaceRegexpAll(id_number, '[\\s-]', '')) = {id_number:String} AND startsWith(community_code, {scope:String})
