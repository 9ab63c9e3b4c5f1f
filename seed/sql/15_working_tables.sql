-- Working tables for the seed only, dropped when it finishes.
-- Each person's household, home and daily routine
-- (work place, leisure place). Dropped when the seed finishes.
CREATE TABLE IF NOT EXISTS epi.seed_routine
(
    person_id        UInt64,
    di               UInt8,
    household_id     UInt64,
    household_pos    UInt8,
    compound_id      UInt32,
    community_code   String,
    work_place_id    UInt32,
    leisure_place_id UInt32,
    sex              UInt8,
    birth_date       Date32
)
ENGINE = MergeTree ORDER BY person_id;

-- Cases scheduled by the story, persons out of circulation, contact edges by person.
CREATE TABLE IF NOT EXISTS epi.seed_case
(
    person_id       UInt64,
    generation      UInt8,
    kind            String,
    found_by        String,
    infector_person UInt64,
    onset_date      Nullable(Date),
    sampled_at      DateTime('Asia/Shanghai'),
    confirmed_at    DateTime('Asia/Shanghai'),
    isolated_at     DateTime('Asia/Shanghai')
)
ENGINE = MergeTree ORDER BY person_id;

CREATE TABLE IF NOT EXISTS epi.seed_controlled
(
    person_id UInt64,
    from_ts   DateTime('Asia/Shanghai')
)
ENGINE = MergeTree ORDER BY person_id;

CREATE TABLE IF NOT EXISTS epi.seed_edge
(
    traced_on     Date,
    case_person   UInt64,
    from_person   UInt64,
    to_person     UInt64,
    hop           UInt8,
    found_by      String,
    place_id      UInt32,
    exposure_at   DateTime('Asia/Shanghai'),
    identified_at DateTime('Asia/Shanghai')
)
ENGINE = MergeTree ORDER BY (case_person, to_person);

