-- People (one person, one file: basics, residence, special-population flags),
-- vaccination doses, health-code changes, and trajectory points — the largest table —
-- with a space-time copy keyed by H3 cell for "who shared a cell with a case".

-- shard: cityHash64(person_id)
CREATE TABLE IF NOT EXISTS epi.person
(
    person_id      UInt64,
    id_number      String COMMENT 'GB 11643 resident ID, check character valid',
    name           String,
    sex            Enum8('male' = 1, 'female' = 2),
    birth_date     Date32 COMMENT 'Date32 holds births before 1970',
    phone          String,
    community_code LowCardinality(String) COMMENT 'residence',
    compound_id    UInt32,
    household_id   UInt64,
    is_owner       UInt8 COMMENT 'registered property owner',
    aged_80_plus   UInt8,
    pregnant       UInt8,
    dialysis       UInt8,
    disabled       UInt8,
    infant         UInt8,
    src_department LowCardinality(String),
    src_category   LowCardinality(String),
    batch_id       LowCardinality(String),
    source_row     UInt64,
    INDEX idx_id_number id_number TYPE bloom_filter GRANULARITY 2,
    INDEX idx_phone phone TYPE bloom_filter GRANULARITY 2
)
ENGINE = MergeTree ORDER BY person_id;

-- shard: cityHash64(person_id)
CREATE TABLE IF NOT EXISTS epi.vaccination
(
    person_id      UInt64,
    dose           UInt8,
    vaccinated_on  Date,
    vaccine        LowCardinality(String),
    community_code LowCardinality(String),
    src_department LowCardinality(String),
    src_category   LowCardinality(String),
    batch_id       LowCardinality(String),
    source_row     UInt64
)
ENGINE = MergeTree ORDER BY (person_id, dose);

-- shard: cityHash64(person_id)
CREATE TABLE IF NOT EXISTS epi.health_code_change
(
    person_id      UInt64,
    ts             DateTime('Asia/Shanghai'),
    color          Enum8('green' = 1, 'yellow' = 2, 'red' = 3),
    reason         LowCardinality(String),
    community_code LowCardinality(String),
    src_department LowCardinality(String),
    src_category   LowCardinality(String),
    batch_id       LowCardinality(String),
    source_row     UInt64
)
ENGINE = MergeTree ORDER BY (person_id, ts);

-- shard: cityHash64(person_id)
CREATE TABLE IF NOT EXISTS epi.trajectory_point
(
    person_id      UInt64,
    ts             DateTime('Asia/Shanghai'),
    lon            Float64,
    lat            Float64,
    source         Enum8('base_station' = 1, 'place_scan' = 2, 'health_code_scan' = 3),
    place_id       UInt32 COMMENT '0 when not at a coded place',
    community_code LowCardinality(String) COMMENT 'where the point lies',
    src_department LowCardinality(String),
    src_category   LowCardinality(String),
    batch_id       LowCardinality(String),
    source_row     UInt64
)
ENGINE = MergeTree PARTITION BY toYYYYMM(ts) ORDER BY (person_id, ts);

-- shard: cityHash64(person_id)
CREATE TABLE IF NOT EXISTS epi.trajectory_by_cell
(
    cell      UInt64 COMMENT 'H3 resolution 8 (about the 800 m grid)',
    ts        DateTime('Asia/Shanghai'),
    person_id UInt64,
    place_id  UInt32
)
ENGINE = MergeTree PARTITION BY toYYYYMM(ts) ORDER BY (cell, ts);

-- geoToH3 takes (lat, lon) on ClickHouse 25.x and later (setting geotoh3_argument_order).
CREATE MATERIALIZED VIEW IF NOT EXISTS epi.trajectory_by_cell_mv TO epi.trajectory_by_cell AS
SELECT geoToH3(lat, lon, 8) AS cell, ts, person_id, place_id
FROM epi.trajectory_point;
