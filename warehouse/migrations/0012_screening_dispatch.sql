-- Dispatch of screening records from the command centre to the street of each record's
-- residence: one row per dispatched record (the primary record of its duplicate group),
-- appended once; a record's dispatch time is the seeded one, else the earliest row here.

-- shard: cityHash64(record_id)
CREATE TABLE IF NOT EXISTS epi.screening_dispatch
(
    record_id        UInt64,
    topic_id         UInt16,
    community_code   LowCardinality(String) COMMENT 'residence of the record: its street verifies it',
    dispatched_at    DateTime64(3, 'Asia/Shanghai'),
    dispatcher       String,
    dispatcher_scope String
)
ENGINE = ReplacingMergeTree ORDER BY (topic_id, record_id);
