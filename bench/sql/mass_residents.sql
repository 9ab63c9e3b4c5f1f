-- Raw residents, for the naive round progress.
SELECT person_id, toString(community_code) AS community_code FROM epi.person
