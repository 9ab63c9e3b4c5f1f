-- The registry in ID-number order, kept as a projection: screening records the source left
-- unmatched are matched by the ID number as written (queries/screening/topic_records.sql), and
-- in the registry's person_id order an ID number found by a subquery reads every granule (the
-- bloom filter is not used for a set built at run time). The projection's key finds them in a
-- few granules, and the records' people are then read by person_id. Like the registry's other
-- projections it follows merges, and a delete rebuilds it. Materializing it fills it for the
-- residents already there.

ALTER TABLE epi.person
    ADD PROJECTION IF NOT EXISTS persons_by_id_number
    (
        SELECT id_number, person_id
        ORDER BY id_number, person_id
    );

ALTER TABLE epi.person MATERIALIZE PROJECTION persons_by_id_number SETTINGS mutations_sync = 2;
