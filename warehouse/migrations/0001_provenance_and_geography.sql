-- Provenance (11 departments, 96 business categories, ingest batches, rejected rows)
-- and the geography & resources skeleton: district → street → community → compound,
-- places, sampling sites, quarantine hotels, supply depots, labs.
-- Every located row carries community_code (12 digits); district = first 6, street = first 9.

CREATE DATABASE IF NOT EXISTS epi;

-- shard: none
CREATE TABLE IF NOT EXISTS epi.source_department
(
    code        LowCardinality(String) COMMENT 'department code, e.g. PSB',
    name        String                 COMMENT 'department name in Chinese'
)
ENGINE = MergeTree ORDER BY code;

-- shard: none
CREATE TABLE IF NOT EXISTS epi.business_category
(
    code            LowCardinality(String) COMMENT 'category code, e.g. PSB-07',
    department_code LowCardinality(String),
    name            String,
    target_table    LowCardinality(String) COMMENT 'theme table the category feeds'
)
ENGINE = MergeTree ORDER BY code;

-- shard: none
CREATE TABLE IF NOT EXISTS epi.ingest_batch
(
    batch_id        String,
    department_code LowCardinality(String),
    category_code   LowCardinality(String),
    file_name       String,
    content_hash    String,
    rows_read       UInt64,
    rows_loaded     UInt64,
    rows_rejected   UInt64,
    started_at      DateTime('Asia/Shanghai'),
    finished_at     Nullable(DateTime('Asia/Shanghai')),
    status          LowCardinality(String)
)
ENGINE = ReplacingMergeTree ORDER BY batch_id;

-- shard: cityHash64(batch_id)
CREATE TABLE IF NOT EXISTS epi.rejected_row
(
    batch_id    String,
    file_name   String,
    row_number  UInt64,
    column_name String,
    reason      String,
    raw         String
)
ENGINE = MergeTree ORDER BY (batch_id, row_number);

-- shard: none
CREATE TABLE IF NOT EXISTS epi.district
(
    code            String COMMENT 'GB/T 2260 six-digit code',
    name            String,
    kind            LowCardinality(String) COMMENT 'district / county / city',
    population_2020 UInt32 COMMENT '7th census residents',
    lon             Float64,
    lat             Float64
)
ENGINE = MergeTree ORDER BY code;

-- shard: none
CREATE TABLE IF NOT EXISTS epi.street
(
    code          String COMMENT 'nine-digit township code',
    district_code String,
    name          String,
    kind          LowCardinality(String) COMMENT 'street / town',
    lon           Float64,
    lat           Float64
)
ENGINE = MergeTree ORDER BY code;

-- shard: none
CREATE TABLE IF NOT EXISTS epi.community
(
    code          String COMMENT 'twelve-digit community code',
    street_code   String,
    district_code String,
    name          String,
    lon           Float64,
    lat           Float64
)
ENGINE = MergeTree ORDER BY code;

-- shard: none
CREATE TABLE IF NOT EXISTS epi.compound
(
    compound_id    UInt32,
    community_code LowCardinality(String),
    name           String,
    lon            Float64,
    lat            Float64,
    buildings      UInt16,
    households     UInt32 COMMENT 'registered households',
    owners         UInt32 COMMENT 'registered property owners',
    src_department LowCardinality(String),
    src_category   LowCardinality(String),
    batch_id       LowCardinality(String),
    source_row     UInt64
)
ENGINE = MergeTree ORDER BY (community_code, compound_id);

-- shard: none
CREATE TABLE IF NOT EXISTS epi.place
(
    place_id       UInt32,
    place_code     String COMMENT 'place-code (场所码) identifier',
    community_code LowCardinality(String),
    name           String,
    kind           LowCardinality(String),
    lon            Float64,
    lat            Float64,
    src_department LowCardinality(String),
    src_category   LowCardinality(String),
    batch_id       LowCardinality(String),
    source_row     UInt64
)
ENGINE = MergeTree ORDER BY place_id;

-- shard: none
CREATE TABLE IF NOT EXISTS epi.sampling_site
(
    site_id           UInt32,
    site_code         String COMMENT 'uniform site code, HS-<district>-<seq>',
    community_code    LowCardinality(String),
    name              String,
    kind              LowCardinality(String) COMMENT 'fixed / temporary / mobile',
    lon               Float64,
    lat               Float64,
    samplers          UInt16,
    capacity_per_hour UInt32 COMMENT 'swabs per hour at full staffing',
    open_hour         UInt8,
    close_hour        UInt8,
    src_department    LowCardinality(String),
    src_category      LowCardinality(String),
    batch_id          LowCardinality(String),
    source_row        UInt64
)
ENGINE = MergeTree ORDER BY site_id;

-- shard: none
CREATE TABLE IF NOT EXISTS epi.lab
(
    lab_id           UInt16,
    name             String,
    district_code    String,
    capacity_per_day UInt32 COMMENT 'tubes per day'
)
ENGINE = MergeTree ORDER BY lab_id;

-- shard: none
CREATE TABLE IF NOT EXISTS epi.quarantine_hotel
(
    hotel_id       UInt32,
    community_code LowCardinality(String),
    name           String,
    lon            Float64,
    lat            Float64,
    rooms          UInt32,
    src_department LowCardinality(String),
    src_category   LowCardinality(String),
    batch_id       LowCardinality(String),
    source_row     UInt64
)
ENGINE = MergeTree ORDER BY hotel_id;

-- shard: none
CREATE TABLE IF NOT EXISTS epi.supply_depot
(
    depot_id        UInt32,
    community_code  LowCardinality(String),
    name            String,
    kind            LowCardinality(String),
    lon             Float64,
    lat             Float64,
    capacity_tonnes UInt32,
    src_department  LowCardinality(String),
    src_category    LowCardinality(String),
    batch_id        LowCardinality(String),
    source_row      UInt64
)
ENGINE = MergeTree ORDER BY depot_id;
