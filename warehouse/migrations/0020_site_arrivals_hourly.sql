-- Samples taken per sampling site and hour, kept by a materialized view over the sample table:
-- the near-term forecast of arrivals and its backtest (queries/mass/arrivals_by_site_hour.sql)
-- read a fortnight of site-hours (a few hundred thousand rows at `full`) instead of the raw
-- samples of those days (49 million). Hotel tests (site 0) use no site's capacity and are left out.

-- shard: site_id
CREATE TABLE IF NOT EXISTS epi.agg_site_arrivals_hourly
(
    sampled_hour   DateTime('Asia/Shanghai'),
    site_id        UInt32,
    arrivals       UInt64
)
ENGINE = SummingMergeTree ORDER BY (sampled_hour, site_id);

CREATE MATERIALIZED VIEW IF NOT EXISTS epi.agg_site_arrivals_hourly_mv TO epi.agg_site_arrivals_hourly AS
SELECT toStartOfHour(sampled_at) AS sampled_hour, site_id, toUInt64(count()) AS arrivals
FROM epi.sample
WHERE site_id > 0
GROUP BY sampled_hour, site_id;

-- Samples loaded before this migration: fill the table once (only when it is empty, so
-- applying the migration again never counts a sample twice).
INSERT INTO epi.agg_site_arrivals_hourly
SELECT toStartOfHour(sampled_at) AS sampled_hour, site_id, toUInt64(count())
FROM epi.sample
WHERE site_id > 0 AND (SELECT count() FROM epi.agg_site_arrivals_hourly) = 0
GROUP BY sampled_hour, site_id;

ALTER TABLE epi.agg_site_arrivals_hourly MODIFY SETTING non_replicated_deduplication_window = 10000;
