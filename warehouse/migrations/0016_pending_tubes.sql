-- Tubes by sampling hour and result day, kept by a materialized view over the sample table:
-- "tubes still without a result at 24:00 of D, sampled more than N hours before" counts
-- distinct tubes (pooled samples share a tube), not sample records. The distinct set is kept
-- as a uniqExact state, so merging the rows of a filter counts each tube once; a tube holds
-- the samples of one community, so a unit's figure is its children's sum. Exact for whole-hour
-- N because sampling hours are whole hours. No result yet → result_day 2149-06-06.

-- shard: cityHash64(community_code)
CREATE TABLE IF NOT EXISTS epi.agg_tubes_hourly
(
    result_day     Date COMMENT 'day of the sample''s result, Beijing time',
    sampled_hour   DateTime('Asia/Shanghai'),
    community_code LowCardinality(String) COMMENT 'residence of the people sampled',
    tubes          AggregateFunction(uniqExact, UInt64)
)
ENGINE = AggregatingMergeTree ORDER BY (result_day, sampled_hour, community_code);

CREATE MATERIALIZED VIEW IF NOT EXISTS epi.agg_tubes_hourly_mv TO epi.agg_tubes_hourly AS
SELECT if(result_at IS NULL, toDate('2149-06-06'), toDate(assumeNotNull(result_at), 'Asia/Shanghai')) AS result_day,
       toStartOfHour(sampled_at) AS sampled_hour, community_code, uniqExactState(tube_id) AS tubes
FROM epi.sample
GROUP BY result_day, sampled_hour, community_code;

-- Samples loaded before this migration: fill the table once (only when it is empty, so
-- applying the migration again never counts a tube twice).
INSERT INTO epi.agg_tubes_hourly
SELECT if(result_at IS NULL, toDate('2149-06-06'), toDate(assumeNotNull(result_at), 'Asia/Shanghai')) AS result_day,
       toStartOfHour(sampled_at) AS sampled_hour, community_code, uniqExactState(tube_id)
FROM epi.sample
WHERE (SELECT count() FROM epi.agg_tubes_hourly) = 0
GROUP BY result_day, sampled_hour, community_code;

ALTER TABLE epi.agg_tubes_hourly MODIFY SETTING non_replicated_deduplication_window = 10000;
