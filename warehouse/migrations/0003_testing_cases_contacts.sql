-- Testing (samples with pool, times and result; site status reports) and
-- cases & contacts (cases, contact edges, 120 transfers, control episodes on the 7+3 rule).

-- shard: cityHash64(person_id)
CREATE TABLE IF NOT EXISTS epi.sample
(
    sample_id      UInt64,
    person_id      UInt64,
    site_id        UInt32 COMMENT '0 for tests taken at a quarantine hotel',
    hotel_id       UInt32,
    lab_id         UInt16,
    tube_id        UInt64 COMMENT 'pooled samples share a tube',
    pool_size      UInt8  COMMENT '1, 5, 10 or 20',
    purpose        Enum8('mass' = 1, 'quarantine' = 2, 'routine' = 3, 'resample' = 4),
    round_id       UInt16 COMMENT 'mass-testing round, 0 outside rounds',
    protocol_day   UInt8  COMMENT 'quarantine day the test was for, 0 otherwise',
    sampled_at     DateTime('Asia/Shanghai'),
    received_at    Nullable(DateTime('Asia/Shanghai')),
    result_at      Nullable(DateTime('Asia/Shanghai')),
    result         Enum8('pending' = 0, 'negative' = 1, 'positive' = 2),
    community_code LowCardinality(String) COMMENT 'residence of the person',
    src_department LowCardinality(String),
    src_category   LowCardinality(String),
    batch_id       LowCardinality(String),
    source_row     UInt64
)
ENGINE = MergeTree PARTITION BY toYYYYMM(sampled_at) ORDER BY (site_id, sampled_at);

-- shard: site_id
CREATE TABLE IF NOT EXISTS epi.site_status_report
(
    site_id        UInt32,
    ts             DateTime('Asia/Shanghai'),
    state          Enum8('clear' = 1, 'busy' = 2, 'congested' = 3, 'closed' = 4),
    queue_minutes  UInt16,
    reported_by    String,
    channel        LowCardinality(String) COMMENT 'mini_program / command / auto',
    community_code LowCardinality(String),
    src_department LowCardinality(String),
    src_category   LowCardinality(String),
    batch_id       LowCardinality(String),
    source_row     UInt64
)
ENGINE = MergeTree ORDER BY (site_id, ts);

-- shard: cityHash64(person_id)
CREATE TABLE IF NOT EXISTS epi.case_record
(
    case_id        String COMMENT 'case number, e.g. CD-0001',
    person_id      UInt64,
    kind           Enum8('confirmed' = 1, 'asymptomatic' = 2),
    generation     UInt8 COMMENT '0 = index case',
    cluster        LowCardinality(String),
    found_by       LowCardinality(String) COMMENT 'index / quarantine_test / mass_testing',
    infector_case  String,
    onset_date     Nullable(Date) COMMENT 'NULL for asymptomatic infections',
    sampled_at     DateTime('Asia/Shanghai'),
    confirmed_at   DateTime('Asia/Shanghai'),
    isolated_at    DateTime('Asia/Shanghai'),
    community_code LowCardinality(String),
    src_department LowCardinality(String),
    src_category   LowCardinality(String),
    batch_id       LowCardinality(String),
    source_row     UInt64
)
ENGINE = MergeTree ORDER BY (confirmed_at, case_id);

-- shard: cityHash64(to_person_id)
CREATE TABLE IF NOT EXISTS epi.contact_edge
(
    case_id        String COMMENT 'the case at the root of the chain',
    from_person_id UInt64,
    to_person_id   UInt64,
    hop            UInt8 COMMENT '1 = close contact, 2 = secondary close contact',
    found_by       Enum8('household' = 1, 'companion' = 2, 'investigation' = 3),
    place_id       UInt32,
    exposure_at    DateTime('Asia/Shanghai'),
    identified_at  DateTime('Asia/Shanghai'),
    community_code LowCardinality(String) COMMENT 'residence of the contact',
    src_department LowCardinality(String),
    src_category   LowCardinality(String),
    batch_id       LowCardinality(String),
    source_row     UInt64
)
ENGINE = MergeTree ORDER BY (case_id, hop, to_person_id);

-- shard: cityHash64(person_id)
CREATE TABLE IF NOT EXISTS epi.transfer
(
    person_id      UInt64,
    subject        Enum8('case' = 1, 'close_contact' = 2),
    case_id        String,
    dispatched_at  DateTime('Asia/Shanghai') COMMENT '120 dispatch',
    arrived_at     DateTime('Asia/Shanghai'),
    vehicle        String,
    destination    String,
    hotel_id       UInt32,
    community_code LowCardinality(String),
    src_department LowCardinality(String),
    src_category   LowCardinality(String),
    batch_id       LowCardinality(String),
    source_row     UInt64
)
ENGINE = MergeTree ORDER BY (person_id, dispatched_at);

-- One row per person under control: close contacts go through centralized quarantine
-- [quarantine_start, quarantine_end) then home monitoring [quarantine_end, monitoring_end);
-- secondary contacts through home quarantine [quarantine_start, quarantine_end).
-- shard: cityHash64(person_id)
CREATE TABLE IF NOT EXISTS epi.control_episode
(
    person_id        UInt64,
    kind             Enum8('close_contact' = 1, 'secondary_contact' = 2),
    case_id          String,
    identified_at    DateTime('Asia/Shanghai'),
    notified_at      DateTime('Asia/Shanghai'),
    transferred_at   Nullable(DateTime('Asia/Shanghai')),
    quarantine_start DateTime('Asia/Shanghai'),
    quarantine_end   DateTime('Asia/Shanghai'),
    monitoring_end   Nullable(DateTime('Asia/Shanghai')),
    released_at      Nullable(DateTime('Asia/Shanghai')),
    outcome          LowCardinality(String) COMMENT 'released / became_case / in_progress',
    hotel_id         UInt32,
    community_code   LowCardinality(String),
    src_department   LowCardinality(String),
    src_category     LowCardinality(String),
    batch_id         LowCardinality(String),
    source_row       UInt64
)
ENGINE = MergeTree ORDER BY (person_id, identified_at);
