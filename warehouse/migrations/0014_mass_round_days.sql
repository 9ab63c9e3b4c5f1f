-- Mass-testing samples by round, sampling day and community, kept by a materialized view over
-- the sample table: the rounds list (first and last day, samples, districts reached) reads a
-- few thousand rows instead of scanning every sample (56 million at `full`).

-- shard: cityHash64(community_code)
CREATE TABLE IF NOT EXISTS epi.agg_mass_round_daily
(
    round_id       UInt16,
    day            Date COMMENT 'sampling day, Beijing time',
    community_code LowCardinality(String) COMMENT 'residence of the person sampled',
    samples        UInt64
)
ENGINE = SummingMergeTree ORDER BY (round_id, day, community_code);

CREATE MATERIALIZED VIEW IF NOT EXISTS epi.agg_mass_round_daily_mv TO epi.agg_mass_round_daily AS
SELECT round_id, toDate(sampled_at, 'Asia/Shanghai') AS day, community_code, toUInt64(count()) AS samples
FROM epi.sample
WHERE purpose = 'mass' AND round_id > 0
GROUP BY round_id, day, community_code;

-- Samples loaded before this migration: fill the table once (only when it is empty, so
-- applying the migration again never counts a sample twice).
INSERT INTO epi.agg_mass_round_daily
SELECT round_id, toDate(sampled_at, 'Asia/Shanghai') AS day, community_code, toUInt64(count())
FROM epi.sample
WHERE purpose = 'mass' AND round_id > 0 AND (SELECT count() FROM epi.agg_mass_round_daily) = 0
GROUP BY round_id, day, community_code;
