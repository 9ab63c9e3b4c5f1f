-- Quarantine tests in person order, kept by a materialized view over the sample table: the
-- closed-loop alerts (queries/contacts/alerts.sql) and the hotels' warnings
-- (queries/quarantine/warnings.sql) check each person's protocol days against the tests taken.
-- The sample table is kept in (site, time) order, so finding them there scans every sample
-- (56 million at `full`, 16.2 million of them quarantine tests). Samples are only ever added
-- (a load moves a whole file at once, with a deduplication token), so a copy kept by a view
-- stays exact.

-- shard: cityHash64(person_id)
CREATE TABLE IF NOT EXISTS epi.quarantine_test
(
    person_id      UInt64,
    protocol_day   UInt8  COMMENT 'quarantine day the test was for (1 = first day)',
    sampled_at     DateTime('Asia/Shanghai'),
    site_id        UInt32 COMMENT '0 for tests taken at a quarantine hotel',
    hotel_id       UInt32
)
ENGINE = MergeTree ORDER BY (person_id, protocol_day, sampled_at);

CREATE MATERIALIZED VIEW IF NOT EXISTS epi.quarantine_test_mv TO epi.quarantine_test AS
SELECT person_id, protocol_day, sampled_at, site_id, hotel_id
FROM epi.sample
WHERE purpose = 'quarantine' AND protocol_day > 0;

-- Samples loaded before this migration: fill the table once (only when it is empty, so
-- applying the migration again never copies a test twice).
INSERT INTO epi.quarantine_test
SELECT person_id, protocol_day, sampled_at, site_id, hotel_id
FROM epi.sample
WHERE purpose = 'quarantine' AND protocol_day > 0 AND (SELECT count() FROM epi.quarantine_test) = 0;

ALTER TABLE epi.quarantine_test MODIFY SETTING non_replicated_deduplication_window = 10000;
