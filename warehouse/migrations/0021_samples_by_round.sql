-- Mass-testing samples in round and community order, kept as a projection of the sample table:
-- a round's progress by community (queries/mass/round_progress_by_community.sql) counts the
-- people sampled in one round, which in the table's (site, time) order means reading every
-- sample up to the moment asked (31 million at `full`); the projection's key reads that round's
-- only. Like the registry's projections it follows merges, and a delete rebuilds it.
-- Materializing it fills it for the samples already there.

ALTER TABLE epi.sample MODIFY SETTING lightweight_mutation_projection_mode = 'rebuild';

ALTER TABLE epi.sample
    ADD PROJECTION IF NOT EXISTS samples_by_round
    (
        SELECT round_id, purpose, community_code, sampled_at, person_id
        ORDER BY round_id, community_code, sampled_at
    );

ALTER TABLE epi.sample MATERIALIZE PROJECTION samples_by_round SETTINGS mutations_sync = 2;
