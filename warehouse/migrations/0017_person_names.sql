-- Persons in name order, kept as a projection of the person registry: 一人一档's search by name
-- (queries/person/search_by_name.sql) finds the people of one exact name by the projection's
-- key instead of reading every name (20.9 million at `full`). It holds the columns the search
-- shows, and like 0013's projection it follows merges and deletes (rebuilt, not refused).
-- Materializing it fills it for the people already registered.

ALTER TABLE epi.person
    ADD PROJECTION IF NOT EXISTS persons_by_name
    (
        SELECT name, person_id, id_number, phone, sex, birth_date, community_code
        ORDER BY name, person_id
    );

ALTER TABLE epi.person MATERIALIZE PROJECTION persons_by_name SETTINGS mutations_sync = 2;
