-- Cockpit indicators pre-aggregated by day × community, kept by materialized views so the
-- cockpit never scans raw facts. Every table is summed at query time (sum … GROUP BY).

-- People under control as +1 / -1 events per day: the number under control at 24:00 of D
-- is the running sum of delta over days <= D.
-- shard: cityHash64(community_code)
CREATE TABLE IF NOT EXISTS epi.agg_control_daily
(
    day            Date,
    community_code LowCardinality(String),
    kind           LowCardinality(String) COMMENT 'centralized / home_quarantine / home_monitoring',
    delta          Int64
)
ENGINE = SummingMergeTree ORDER BY (day, community_code, kind);

CREATE MATERIALIZED VIEW IF NOT EXISTS epi.agg_control_daily_mv TO epi.agg_control_daily AS
SELECT toDate(assumeNotNull(event.2), 'Asia/Shanghai') AS day, community_code,
       event.1 AS kind, event.3 AS delta
FROM
(
    SELECT community_code,
           arrayJoin(arrayFilter(
               e -> e.2 IS NOT NULL,
               if(kind = 'close_contact',
                  [('centralized', toNullable(quarantine_start), toInt64(1)),
                   ('centralized', toNullable(quarantine_end), toInt64(-1)),
                   ('home_monitoring', if(monitoring_end IS NULL, NULL, toNullable(quarantine_end)), toInt64(1)),
                   ('home_monitoring', monitoring_end, toInt64(-1))],
                  [('home_quarantine', toNullable(quarantine_start), toInt64(1)),
                   ('home_quarantine', toNullable(quarantine_end), toInt64(-1))]))) AS event
    FROM epi.control_episode
);

-- shard: cityHash64(community_code)
CREATE TABLE IF NOT EXISTS epi.agg_cases_daily
(
    day            Date,
    community_code LowCardinality(String),
    kind           LowCardinality(String) COMMENT 'confirmed / asymptomatic',
    cases          UInt64
)
ENGINE = SummingMergeTree ORDER BY (day, community_code, kind);

CREATE MATERIALIZED VIEW IF NOT EXISTS epi.agg_cases_daily_mv TO epi.agg_cases_daily AS
SELECT toDate(confirmed_at, 'Asia/Shanghai') AS day, community_code, toString(kind) AS kind,
       toUInt64(1) AS cases
FROM epi.case_record;

-- shard: cityHash64(community_code)
CREATE TABLE IF NOT EXISTS epi.agg_contacts_daily
(
    day              Date COMMENT 'day the contact was identified',
    community_code   LowCardinality(String),
    kind             LowCardinality(String) COMMENT 'close_contact / secondary_contact',
    identified       UInt64,
    transferred_24h  UInt64 COMMENT 'transferred within 24 h of identification'
)
ENGINE = SummingMergeTree ORDER BY (day, community_code, kind);

CREATE MATERIALIZED VIEW IF NOT EXISTS epi.agg_contacts_daily_mv TO epi.agg_contacts_daily AS
SELECT toDate(identified_at, 'Asia/Shanghai') AS day, community_code, toString(kind) AS kind,
       toUInt64(1) AS identified,
       toUInt64(transferred_at IS NOT NULL
                AND dateDiff('second', identified_at, assumeNotNull(transferred_at)) <= 86400)
           AS transferred_24h
FROM epi.control_episode;

-- Each site's last reported state per day.
-- shard: site_id
CREATE TABLE IF NOT EXISTS epi.agg_site_state_daily
(
    day            Date,
    community_code LowCardinality(String),
    site_id        UInt32,
    last_state     AggregateFunction(argMax, Enum8('clear' = 1, 'busy' = 2, 'congested' = 3, 'closed' = 4), DateTime('Asia/Shanghai')),
    max_queue      SimpleAggregateFunction(max, UInt16),
    reports        SimpleAggregateFunction(sum, UInt64)
)
ENGINE = AggregatingMergeTree ORDER BY (day, community_code, site_id);

CREATE MATERIALIZED VIEW IF NOT EXISTS epi.agg_site_state_daily_mv TO epi.agg_site_state_daily AS
SELECT toDate(ts, 'Asia/Shanghai') AS day, community_code, site_id,
       argMaxState(state, ts) AS last_state, max(queue_minutes) AS max_queue,
       toUInt64(count()) AS reports
FROM epi.site_status_report
GROUP BY day, community_code, site_id;

-- Samples by sampling hour and result day: "pending past N hours at 24:00 of D" is exact for
-- whole-hour N because sampling hours are whole hours. No result yet → result_day 2149-06-06.
-- shard: cityHash64(community_code)
CREATE TABLE IF NOT EXISTS epi.agg_samples_hourly
(
    result_day     Date,
    sampled_hour   DateTime('Asia/Shanghai'),
    community_code LowCardinality(String),
    purpose        LowCardinality(String),
    samples        UInt64,
    positives      UInt64
)
ENGINE = SummingMergeTree ORDER BY (result_day, sampled_hour, community_code, purpose);

CREATE MATERIALIZED VIEW IF NOT EXISTS epi.agg_samples_hourly_mv TO epi.agg_samples_hourly AS
SELECT if(result_at IS NULL, toDate('2149-06-06'), toDate(assumeNotNull(result_at), 'Asia/Shanghai')) AS result_day,
       toStartOfHour(sampled_at) AS sampled_hour, community_code, toString(purpose) AS purpose,
       toUInt64(1) AS samples, toUInt64(result = 'positive') AS positives
FROM epi.sample;

-- Appeals by received day and closed day (not closed → 2149-06-06).
-- shard: cityHash64(community_code)
CREATE TABLE IF NOT EXISTS epi.agg_appeals_daily
(
    received_day   Date,
    closed_day     Date,
    community_code LowCardinality(String),
    type           LowCardinality(String),
    appeals        UInt64,
    rated          UInt64,
    rating_sum     UInt64
)
ENGINE = SummingMergeTree ORDER BY (received_day, closed_day, community_code, type);

CREATE MATERIALIZED VIEW IF NOT EXISTS epi.agg_appeals_daily_mv TO epi.agg_appeals_daily AS
SELECT toDate(received_at, 'Asia/Shanghai') AS received_day,
       if(closed_at IS NULL, toDate('2149-06-06'), toDate(assumeNotNull(closed_at), 'Asia/Shanghai')) AS closed_day,
       community_code, toString(type) AS type, toUInt64(1) AS appeals,
       toUInt64(rating IS NOT NULL) AS rated, toUInt64(ifNull(rating, 0)) AS rating_sum
FROM epi.appeal;

-- Screening groups (one dispatched record per person) by dispatch day and verification day.
-- shard: cityHash64(community_code)
CREATE TABLE IF NOT EXISTS epi.agg_screening_daily
(
    dispatched_day Date,
    verified_day   Date,
    community_code LowCardinality(String),
    outcome        LowCardinality(String),
    persons        UInt64
)
ENGINE = SummingMergeTree ORDER BY (dispatched_day, verified_day, community_code, outcome);

CREATE MATERIALIZED VIEW IF NOT EXISTS epi.agg_screening_daily_mv TO epi.agg_screening_daily AS
SELECT toDate(assumeNotNull(dispatched_at), 'Asia/Shanghai') AS dispatched_day,
       if(verified_at IS NULL, toDate('2149-06-06'), toDate(assumeNotNull(verified_at), 'Asia/Shanghai')) AS verified_day,
       community_code, toString(outcome) AS outcome, toUInt64(1) AS persons
FROM epi.screening_record
WHERE is_primary = 1 AND dispatched_at IS NOT NULL;
