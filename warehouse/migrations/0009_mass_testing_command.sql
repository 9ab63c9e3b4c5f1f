-- Mass-testing command: the site leads' live marks, and each site's state hour by hour so the
-- site map reads one day's rows instead of scanning every report (reports are ordered by site).

-- A site lead's mark from the portal: who, from which jurisdiction, when. The portal writes a
-- mark only if its key is new, and the key is in the sorting key, so a mark sent twice is one row.
-- shard: site_id
CREATE TABLE IF NOT EXISTS epi.site_mark
(
    mark_key       String COMMENT 'idempotency key of one submission',
    site_id        UInt32,
    community_code LowCardinality(String) COMMENT 'community of the site',
    state          Enum8('clear' = 1, 'busy' = 2, 'congested' = 3, 'closed' = 4),
    queue_minutes  UInt16,
    operator       String COMMENT 'name of the district operator who marked',
    operator_scope String COMMENT 'jurisdiction code of the operator at the time',
    marked_at      DateTime64(3, 'Asia/Shanghai') COMMENT 'milliseconds: two marks in one second keep their order',
    channel        LowCardinality(String) COMMENT 'portal'
)
ENGINE = ReplacingMergeTree ORDER BY (site_id, mark_key);

-- Each site's last reported state and queue within each hour of the day.
-- shard: site_id
CREATE TABLE IF NOT EXISTS epi.agg_site_state_hourly
(
    day            Date,
    hour           UInt8 COMMENT 'hour of the day, Beijing time',
    community_code LowCardinality(String),
    site_id        UInt32,
    last_state     AggregateFunction(argMax, Enum8('clear' = 1, 'busy' = 2, 'congested' = 3, 'closed' = 4), DateTime('Asia/Shanghai')),
    last_queue     AggregateFunction(argMax, UInt16, DateTime('Asia/Shanghai')),
    last_ts        SimpleAggregateFunction(max, DateTime('Asia/Shanghai')),
    max_queue      SimpleAggregateFunction(max, UInt16),
    reports        SimpleAggregateFunction(sum, UInt64)
)
ENGINE = AggregatingMergeTree ORDER BY (day, community_code, site_id, hour);

CREATE MATERIALIZED VIEW IF NOT EXISTS epi.agg_site_state_hourly_mv TO epi.agg_site_state_hourly AS
SELECT toDate(ts, 'Asia/Shanghai') AS day, toHour(ts, 'Asia/Shanghai') AS hour, community_code, site_id,
       argMaxState(state, ts) AS last_state, argMaxState(queue_minutes, ts) AS last_queue,
       max(ts) AS last_ts, max(queue_minutes) AS max_queue, toUInt64(count()) AS reports
FROM epi.site_status_report
GROUP BY day, hour, community_code, site_id;

-- Reports already loaded before this migration: fill the hourly table once (only when empty,
-- so re-applying the migration never counts a report twice).
INSERT INTO epi.agg_site_state_hourly
SELECT toDate(ts, 'Asia/Shanghai') AS day, toHour(ts, 'Asia/Shanghai') AS hour, community_code, site_id,
       argMaxState(state, ts), argMaxState(queue_minutes, ts), max(ts), max(queue_minutes), toUInt64(count())
FROM epi.site_status_report
WHERE (SELECT count() FROM epi.agg_site_state_hourly) = 0
GROUP BY day, hour, community_code, site_id;
