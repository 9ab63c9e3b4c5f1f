-- Screening topics and their multi-source records (duplicates flagged and grouped, never
-- deleted), citizen appeals with the time of each step, risk zones and saved zone plans.

-- shard: none
CREATE TABLE IF NOT EXISTS epi.screening_topic
(
    topic_id     UInt16,
    name         String,
    place_id     UInt32,
    window_start DateTime('Asia/Shanghai'),
    window_end   DateTime('Asia/Shanghai'),
    created_at   DateTime('Asia/Shanghai'),
    departments  Array(LowCardinality(String))
)
ENGINE = MergeTree ORDER BY topic_id;

-- shard: cityHash64(dup_group)
CREATE TABLE IF NOT EXISTS epi.screening_record
(
    record_id      UInt64,
    topic_id       UInt16,
    raw_id_number  String COMMENT 'as the source sent it',
    raw_name       String,
    raw_phone      String,
    person_id      UInt64 COMMENT 'matched person, 0 when unmatched',
    dup_group      UInt64 COMMENT 'records of one person in one topic share a group',
    is_primary     UInt8  COMMENT 'the record dispatched for the group',
    district_code  String,
    community_code LowCardinality(String),
    dispatched_at  Nullable(DateTime('Asia/Shanghai')),
    verified_at    Nullable(DateTime('Asia/Shanghai')),
    outcome        Enum8('pending' = 0, 'verified' = 1, 'unreachable' = 2, 'uncooperative' = 3),
    escalated      UInt8,
    src_department LowCardinality(String),
    src_category   LowCardinality(String),
    batch_id       LowCardinality(String),
    source_row     UInt64
)
ENGINE = MergeTree ORDER BY (topic_id, dup_group, record_id);

-- shard: cityHash64(appeal_id)
CREATE TABLE IF NOT EXISTS epi.appeal
(
    appeal_id      UInt64,
    channel        LowCardinality(String) COMMENT 'hotline / web / wechat / mayor_mailbox',
    type           Enum8('consultation' = 1, 'help' = 2, 'complaint' = 3, 'report' = 4, 'suggestion' = 5),
    topic          LowCardinality(String),
    is_emergency   UInt8,
    community_code LowCardinality(String),
    received_at    DateTime('Asia/Shanghai'),
    dispatched_at  Nullable(DateTime('Asia/Shanghai')),
    handled_at     Nullable(DateTime('Asia/Shanghai')),
    replied_at     Nullable(DateTime('Asia/Shanghai')),
    closed_at      Nullable(DateTime('Asia/Shanghai')),
    rated_at       Nullable(DateTime('Asia/Shanghai')),
    rating         Nullable(UInt8) COMMENT '1-5',
    src_department LowCardinality(String),
    src_category   LowCardinality(String),
    batch_id       LowCardinality(String),
    source_row     UInt64
)
ENGINE = MergeTree PARTITION BY toYYYYMM(received_at) ORDER BY (received_at, appeal_id);

-- shard: none
CREATE TABLE IF NOT EXISTS epi.risk_zone
(
    zone_id         UInt32,
    tier            Enum8('high' = 1, 'medium' = 2, 'low' = 3),
    name            String,
    district_code   String,
    community_code  LowCardinality(String),
    compound_id     UInt32,
    geometry        String COMMENT 'GeoJSON polygon',
    reason_case_ids Array(String),
    start_at        DateTime('Asia/Shanghai'),
    lifted_at       Nullable(DateTime('Asia/Shanghai')),
    plan_id         UInt32,
    src_department  LowCardinality(String),
    src_category    LowCardinality(String),
    batch_id        LowCardinality(String),
    source_row      UInt64
)
ENGINE = MergeTree ORDER BY zone_id;

-- shard: none
CREATE TABLE IF NOT EXISTS epi.zone_plan
(
    plan_id    UInt32,
    name       String,
    author     String,
    created_at DateTime('Asia/Shanghai'),
    status     LowCardinality(String) COMMENT 'draft / published',
    geometry   String COMMENT 'GeoJSON FeatureCollection with the tiers'
)
ENGINE = ReplacingMergeTree ORDER BY plan_id;
