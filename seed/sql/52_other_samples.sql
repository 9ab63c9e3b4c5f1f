-- Everyday voluntary testing: about 1.5% of free residents a day, 10-in-1 at their sites.
INSERT INTO epi.sample
SELECT
    toUInt64(3000000000000000 + toUInt64(dd) * 10000000000 + person_id) AS sample_id,
    person_id, site_id, 0, lab_id,
    toUInt64(500000000000 + toUInt64(dd) * 10000000000 + site_id * 100000 + intDiv(rn - 1, {pool_size:UInt8})) AS tube_id,
    {pool_size:UInt8}, 'routine', 0, 0, sampled_at,
    if(received > toDateTime({data_end:String}, 'Asia/Shanghai'), NULL, received),
    if(result_time > toDateTime({data_end:String}, 'Asia/Shanghai'), NULL, result_time) AS result_at,
    if(result_at IS NULL, 'pending', 'negative'),
    community_code, 'HEALTH', 'HEALTH-05', {batch_id:String}, sample_id
FROM
(
    SELECT
        p.person_id, p.community_code, dd,
        s.sites[cityHash64({seed:UInt64}, 'site', p.person_id) % length(s.sites) + 1] AS site_id,
        toUInt16(p.di) AS lab_id,
        toDateTime({story_start:Date} + toIntervalDay(dd), 'Asia/Shanghai')
            + toIntervalSecond((8 + cityHash64({seed:UInt64}, 'vh', p.person_id, dd) % 12) * 3600
                               + cityHash64({seed:UInt64}, 'vs', p.person_id, dd) % 3600) AS sampled_at,
        sampled_at + toIntervalMinute(60 + cityHash64({seed:UInt64}, 'vrecv', p.person_id, dd) % 120) AS received,
        received + toIntervalMinute(240 + cityHash64({seed:UInt64}, 'vtat', p.person_id, dd) % 480) AS result_time,
        row_number() OVER (PARTITION BY site_id, dd ORDER BY sampled_at, p.person_id) AS rn
    FROM epi.seed_routine AS p
    ARRAY JOIN range(39) AS dd
    INNER JOIN
    epi.seed_community_sites AS s ON s.community_code = p.community_code
    WHERE cityHash64({seed:UInt64}, 'voluntary', p.person_id, dd) % 1000 < 15
      AND p.person_id NOT IN (SELECT person_id FROM epi.seed_controlled)
);

-- Quarantine protocol tests, single tube: close contacts on centralized days 1, 2, 3, 5, 7 at
-- the hotel and on home-monitoring day 3 (protocol_day 10); secondary contacts on days 1, 4, 7
-- at home. About 3% of due tests are missed (the alerts look for them).
INSERT INTO epi.sample
SELECT
    toUInt64(2000000000000000 + person_id * 100 + protocol_day) AS sample_id,
    person_id, site_id, hotel_id, lab_id,
    toUInt64(900000000000000 + person_id * 100 + protocol_day) AS tube_id,
    1, 'quarantine', 0, protocol_day, sampled_at,
    if(received > toDateTime({data_end:String}, 'Asia/Shanghai'), NULL, received),
    if(result_time > toDateTime({data_end:String}, 'Asia/Shanghai'), NULL, result_time) AS result_at,
    if(result_at IS NULL, 'pending', 'negative'),
    community_code, 'HEALTH', 'HEALTH-05', {batch_id:String}, sample_id
FROM
(
    SELECT
        e.person_id, e.community_code, t.1 AS protocol_day,
        if(t.2 = 'hotel', e.hotel_id, toUInt32(0)) AS hotel_id,
        if(t.2 = 'hotel', toUInt32(0), s.sites[1]) AS site_id,
        toUInt16(indexOf({d_codes:Array(String)}, substring(e.community_code, 1, 6))) AS lab_id,
        toStartOfDay(t.3) + toIntervalHour(8) + toIntervalMinute(cityHash64({seed:UInt64}, 'qmin', e.person_id, t.1) % 180) AS sampled_at,
        sampled_at + toIntervalMinute(60 + cityHash64({seed:UInt64}, 'qrecv', e.person_id, t.1) % 60) AS received,
        received + toIntervalMinute(180 + cityHash64({seed:UInt64}, 'qtat', e.person_id, t.1) % 300) AS result_time,
        e.quarantine_end, e.kind
    FROM epi.control_episode AS e
    ARRAY JOIN if(e.kind = 'close_contact',
        arrayConcat(arrayMap(d -> (toUInt8(d), 'hotel', e.quarantine_start + toIntervalDay(d - 1)), {close_test_days:Array(UInt8)}),
                    if(e.monitoring_end IS NULL, [],
                       arrayMap(d -> (toUInt8({centralized_days:UInt8} + d), 'home', e.quarantine_end + toIntervalDay(d - 1)), {monitoring_test_days:Array(UInt8)}))),
        arrayMap(d -> (toUInt8(d), 'home', e.quarantine_start + toIntervalDay(d - 1)), {secondary_test_days:Array(UInt8)})) AS t
    INNER JOIN
    epi.seed_community_sites AS s ON s.community_code = e.community_code
)
WHERE cityHash64({seed:UInt64}, 'missed_test', person_id, protocol_day) % 100 >= 3
  AND sampled_at <= toDateTime({data_end:String}, 'Asia/Shanghai')
  AND (kind = 'secondary_contact' OR protocol_day > {centralized_days:UInt8} OR sampled_at < quarantine_end);

-- Each case's positive diagnostic test (single tube).
INSERT INTO epi.sample
SELECT
    toUInt64(4000000000000000 + c.person_id) AS sample_id,
    c.person_id, if(c.found_by = 'quarantine_test', toUInt32(0), s.sites[1]), 0,
    toUInt16(indexOf({d_codes:Array(String)}, substring(c.community_code, 1, 6))),
    toUInt64(800000000000000 + c.person_id), 1,
    multiIf(c.found_by = 'quarantine_test', 'quarantine', c.found_by = 'mass_testing', 'mass', 'routine'),
    0, 0, c.sampled_at, c.sampled_at + toIntervalMinute(60), c.confirmed_at - toIntervalMinute(30), 'positive',
    c.community_code, 'CDC', 'CDC-09', {batch_id:String}, sample_id
FROM epi.case_record AS c
INNER JOIN
epi.seed_community_sites AS s ON s.community_code = c.community_code;

-- Every member of a positive 10-in-1 pool is re-sampled in a single tube.
INSERT INTO epi.sample
SELECT
    toUInt64(5000000000000000 + round_id * 10000000000 + person_id) AS sample_id,
    person_id, site_id, 0, lab_id, toUInt64(700000000000000 + round_id * 10000000000 + person_id), 1,
    'resample', round_id, 0,
    assumeNotNull(result_at) + toIntervalMinute(120 + cityHash64({seed:UInt64}, 'resample', person_id) % 240) AS re_sampled,
    re_sampled + toIntervalMinute(60),
    re_sampled + toIntervalMinute(300 + cityHash64({seed:UInt64}, 'retat', person_id) % 240),
    if(person_id IN (SELECT person_id FROM epi.case_record), 'positive', 'negative'),
    community_code, 'HEALTH', 'HEALTH-05', {batch_id:String}, sample_id
FROM epi.sample
WHERE purpose = 'mass' AND pool_size > 1 AND result = 'positive';
