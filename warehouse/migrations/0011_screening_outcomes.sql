-- Verification outcomes of screening records, recorded by district operators in the portal.
-- Append-only: a record's latest outcome wins in the queries, the seeded outcome on the record
-- stands until then. A submission's key is in the sorting key and is written only when new, so
-- the same form sent twice is one row; one INSERT writes the whole row or nothing.

-- shard: cityHash64(record_id)
CREATE TABLE IF NOT EXISTS epi.screening_outcome
(
    outcome_key    String COMMENT 'idempotency key of one submission',
    record_id      UInt64,
    topic_id       UInt16,
    community_code LowCardinality(String) COMMENT 'community of the record',
    outcome        Enum8('pending' = 0, 'verified' = 1, 'unreachable' = 2, 'uncooperative' = 3),
    escalated      UInt8 COMMENT 'handed to the investigation team (unreachable / uncooperative)',
    note           String,
    operator       String COMMENT 'name of the district operator',
    operator_scope String COMMENT 'jurisdiction code of the operator at the time',
    recorded_at    DateTime64(3, 'Asia/Shanghai')
)
ENGINE = ReplacingMergeTree ORDER BY (record_id, outcome_key);
