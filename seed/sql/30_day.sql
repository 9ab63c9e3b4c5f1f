-- One day of the story, run for each day in order. Cases confirmed today leave circulation;
-- every person still free leaves today's trajectory points; today's cases are traced through
-- their households and the places and cells they shared with others in their infectious
-- window; new close and secondary contacts go under control; some contacts (and some missed
-- visitors of the same places) are scheduled to become the next cases.

INSERT INTO epi.seed_controlled
SELECT person_id, isolated_at FROM epi.seed_case
WHERE toDate(confirmed_at, 'Asia/Shanghai') = {day:Date};

INSERT INTO epi.trajectory_point
SELECT
    t.person_id, t.ts,
    if(t.place_id = 0, cp.lon + t.jx, pl.lon) AS lon,
    if(t.place_id = 0, cp.lat + t.jy, pl.lat) AS lat,
    t.source, t.place_id, t.dwell AS dwell_minutes,
    if(t.place_id = 0, t.community_code, pl.community_code) AS community_code,
    if(t.source = 'base_station', 'PSB', 'BIGDATA') AS src_department,
    if(t.source = 'base_station', 'PSB-04', if(t.source = 'place_scan', 'BIGDATA-02', 'PSB-05')) AS src_category,
    {batch_id:String} AS batch_id,
    (t.person_id * 100 + dateDiff('day', {story_start:Date}, {day:Date})) * 1440
        + intDiv(toHour(t.ts) * 60 + toMinute(t.ts), 1) AS source_row
FROM
(
    SELECT
        d.person_id, d.compound_id, d.community_code,
        p.3 AS place_id, p.2 AS source,
        toUInt16(least(next_minute - p.1, 1440)) AS dwell,
        toDateTime({day:Date}, 'Asia/Shanghai') + toIntervalSecond(p.1 * 60 + cityHash64({seed:UInt64}, 'sec', d.person_id, p.1) % 60) AS ts,
        ((cityHash64({seed:UInt64}, 'jx', d.person_id) % 1000) / 1000. - 0.5) * 0.004 AS jx,
        ((cityHash64({seed:UInt64}, 'jy', d.person_id) % 1000) / 1000. - 0.5) * 0.003 AS jy
    FROM
    (
        -- the day's points of each active person, in time order: (minute, source, place)
        SELECT r.person_id, r.compound_id, r.community_code,
            arrayConcat(
                [(7 * 60 + cityHash64({seed:UInt64}, 'm1', r.person_id, {day:Date}) % 60, 'base_station', toUInt32(0)),
                 (9 * 60 + cityHash64({seed:UInt64}, 'm2', r.person_id, {day:Date}) % 180, 'place_scan', r.work_place_id)],
                if(cityHash64({seed:UInt64}, 'eve', r.person_id, {day:Date}) % 2 = 0,
                   [(18 * 60 + cityHash64({seed:UInt64}, 'm3', r.person_id, {day:Date}) % 120, 'health_code_scan', r.leisure_place_id)], []),
                if(cityHash64({seed:UInt64}, 'night', r.person_id, {day:Date}) % 2 = 0,
                   [(22 * 60 + cityHash64({seed:UInt64}, 'm4', r.person_id, {day:Date}) % 60, 'base_station', toUInt32(0))], [])
            ) AS pts
        FROM epi.seed_routine AS r
        WHERE cityHash64({seed:UInt64}, 'active', r.person_id, {day:Date}) % 10000 < {active_share:Float64} * 10000
    ) AS d
    -- a point lasts until the next one that day; the day's last point stays open (1440)
    ARRAY JOIN pts AS p, arrayPushBack(arrayPopFront(arrayMap(x -> x.1, pts)), toUInt64(2880)) AS next_minute
) AS t
LEFT JOIN (SELECT person_id, min(from_ts) AS from_ts, 1 AS hit FROM epi.seed_controlled GROUP BY person_id) AS c
    ON c.person_id = t.person_id
LEFT JOIN epi.compound AS cp ON cp.compound_id = t.compound_id
LEFT JOIN epi.place AS pl ON pl.place_id = t.place_id
WHERE c.hit = 0 OR t.ts < c.from_ts;

-- Contacts of today's cases: household, same place in the same hour (investigation),
-- same H3 cell within the companion minutes at another place (companion).
INSERT INTO epi.seed_edge
SELECT
    {day:Date} AS traced_on, case_person, case_person AS from_person, to_person, 1 AS hop,
    arraySort(x -> indexOf(['household', 'investigation', 'companion'], x), groupArray(found_by))[1] AS found_by,
    argMin(place_id, exposure_at) AS first_place,
    min(exposure_at) AS first_exposure,
    any(confirmed_at) + toIntervalHour(2 + cityHash64({seed:UInt64}, 'ident', case_person, to_person) % 18) AS identified_at
FROM
(
    SELECT c.person_id AS case_person, m.person_id AS to_person, 'household' AS found_by,
           toUInt32(0) AS place_id, c.isolated_at - toIntervalHour(12) AS exposure_at, c.confirmed_at
    FROM epi.seed_case AS c
    INNER JOIN epi.seed_routine AS hr ON hr.person_id = c.person_id
    INNER JOIN epi.seed_routine AS m ON m.household_id = hr.household_id
    WHERE toDate(c.confirmed_at, 'Asia/Shanghai') = {day:Date} AND m.person_id != c.person_id

    UNION ALL

    SELECT cp.case_person, t.person_id, 'investigation', t.place_id, t.ts, cp.confirmed_at
    FROM epi.trajectory_point AS t
    INNER JOIN
    (
        SELECT c.person_id AS case_person, c.confirmed_at, p.place_id, toStartOfHour(p.ts) AS hour
        FROM epi.trajectory_point AS p
        INNER JOIN epi.seed_case AS c ON c.person_id = p.person_id
        WHERE toDate(c.confirmed_at, 'Asia/Shanghai') = {day:Date} AND p.place_id != 0
          AND p.ts >= ifNull(toDateTime(c.onset_date, 'Asia/Shanghai'), c.sampled_at) - toIntervalDay({window_days:UInt8})
          AND p.ts <= c.isolated_at
    ) AS cp ON cp.place_id = t.place_id AND cp.hour = toStartOfHour(t.ts)
    WHERE t.place_id IN (
            SELECT p.place_id FROM epi.trajectory_point AS p
            WHERE p.person_id IN (SELECT person_id FROM epi.seed_case WHERE toDate(confirmed_at, 'Asia/Shanghai') = {day:Date}))
      AND t.ts >= toDateTime({day:Date}, 'Asia/Shanghai') - toIntervalDay(12)
      AND t.person_id != cp.case_person

    UNION ALL

    SELECT cc.case_person, b.person_id, 'companion', b.place_id, b.ts, cc.confirmed_at
    FROM epi.trajectory_by_cell AS b
    INNER JOIN
    (
        SELECT c.person_id AS case_person, c.confirmed_at, geoToH3(p.lat, p.lon, 8) AS cell,
               toStartOfHour(p.ts) AS hour, p.ts AS case_ts, p.place_id AS case_place
        FROM epi.trajectory_point AS p
        INNER JOIN epi.seed_case AS c ON c.person_id = p.person_id
        WHERE toDate(c.confirmed_at, 'Asia/Shanghai') = {day:Date} AND p.place_id != 0
          AND p.ts >= ifNull(toDateTime(c.onset_date, 'Asia/Shanghai'), c.sampled_at) - toIntervalDay({window_days:UInt8})
          AND p.ts <= c.isolated_at
    ) AS cc ON cc.cell = b.cell AND cc.hour = toStartOfHour(b.ts)
    WHERE b.ts >= toDateTime({day:Date}, 'Asia/Shanghai') - toIntervalDay(12)
      AND b.place_id != 0 AND b.place_id != cc.case_place AND b.person_id != cc.case_person
      AND abs(dateDiff('second', b.ts, cc.case_ts)) <= {companion_minutes:UInt16} * 60
)
WHERE to_person NOT IN (
    SELECT person_id FROM epi.seed_case WHERE confirmed_at < toDateTime({day:Date} + 1, 'Asia/Shanghai'))
GROUP BY case_person, to_person;

-- Some of today's close contacts were infected: they turn positive on a quarantine test.
INSERT INTO epi.seed_case
SELECT
    to_person AS person_id, any(c.generation) + 1 AS generation,
    if(cityHash64({seed:UInt64}, 'asym', to_person) % 10 < 4, 'asymptomatic', 'confirmed') AS kind,
    'quarantine_test' AS found_by,
    argMin(e.case_person, e.exposure_at) AS infector_person,
    if(kind = 'asymptomatic', NULL, toDate(min(e.exposure_at) + toIntervalDay(2 + cityHash64({seed:UInt64}, 'inc', to_person) % 4), 'Asia/Shanghai')) AS onset_date,
    greatest(min(e.exposure_at) + toIntervalDay(1 + cityHash64({seed:UInt64}, 'inc', to_person) % 4),
             min(e.identified_at) + toIntervalHour(20)) AS sampled_at,
    sampled_at + toIntervalHour(8 + cityHash64({seed:UInt64}, 'conf', to_person) % 12) AS confirmed_at,
    confirmed_at AS isolated_at
FROM epi.seed_edge AS e
INNER JOIN epi.seed_case AS c ON c.person_id = e.case_person
WHERE e.traced_on = {day:Date} AND e.hop = 1
  AND cityHash64({seed:UInt64}, 'infect', e.to_person) % 1000000 < 1000000 * least(0.5,
        multiIf(e.found_by = 'household', {p_household:Float64},
                e.found_by = 'investigation', {p_investigation:Float64} / {fraction:Float64},
                {p_companion:Float64} / {fraction:Float64}))
  AND e.to_person NOT IN (SELECT person_id FROM epi.seed_case)
GROUP BY to_person
HAVING confirmed_at <= toDateTime({last_case_day:Date}, 'Asia/Shanghai')
ORDER BY cityHash64({seed:UInt64}, 'cap', to_person)
LIMIT {max_new_cases:UInt16};

-- Missed links: a visitor of the same place on the same day, outside the traced hour, is
-- found later by mass testing (never before the day after the tracing that missed them)
-- while still moving about the city.
INSERT INTO epi.seed_case
SELECT
    t.person_id, any(cp.generation) + 1, 
    if(cityHash64({seed:UInt64}, 'asym', t.person_id) % 10 < 4, 'asymptomatic', 'confirmed') AS kind,
    'mass_testing', argMin(cp.case_person, t.ts),
    if(kind = 'asymptomatic', NULL, toDate(min(t.ts) + toIntervalDay(2 + cityHash64({seed:UInt64}, 'inc', t.person_id) % 3), 'Asia/Shanghai')),
    greatest(min(t.ts) + toIntervalDay(3 + cityHash64({seed:UInt64}, 'inc', t.person_id) % 3),
             toDateTime({day:Date} + 1, 'Asia/Shanghai') + toIntervalHour(7 + cityHash64({seed:UInt64}, 'found', t.person_id) % 12)) AS sampled_at,
    sampled_at + toIntervalHour(10 + cityHash64({seed:UInt64}, 'conf', t.person_id) % 14) AS confirmed_at,
    confirmed_at + toIntervalHour(2) AS isolated_at
FROM epi.trajectory_point AS t
INNER JOIN
(
    SELECT c.person_id AS case_person, c.generation, p.place_id, toDate(p.ts, 'Asia/Shanghai') AS d,
           toStartOfHour(p.ts) AS hour
    FROM epi.trajectory_point AS p
    INNER JOIN epi.seed_case AS c ON c.person_id = p.person_id
    WHERE toDate(c.confirmed_at, 'Asia/Shanghai') = {day:Date} AND p.place_id > 1
      AND p.ts >= ifNull(toDateTime(c.onset_date, 'Asia/Shanghai'), c.sampled_at) - toIntervalDay({window_days:UInt8})
      AND p.ts <= c.isolated_at
) AS cp ON cp.place_id = t.place_id AND cp.d = toDate(t.ts, 'Asia/Shanghai')
WHERE t.place_id IN (
        SELECT p.place_id FROM epi.trajectory_point AS p
        WHERE p.person_id IN (SELECT person_id FROM epi.seed_case WHERE toDate(confirmed_at, 'Asia/Shanghai') = {day:Date}))
  AND t.ts >= toDateTime({day:Date}, 'Asia/Shanghai') - toIntervalDay(12)
  AND toStartOfHour(t.ts) != cp.hour
  AND cityHash64({seed:UInt64}, 'missed', t.person_id) % 1000000 < 1000000 * least(0.5, {p_missed:Float64} / {fraction:Float64})
  AND t.person_id NOT IN (SELECT person_id FROM epi.seed_case)
  AND t.person_id NOT IN (SELECT to_person FROM epi.seed_edge)
GROUP BY t.person_id
HAVING confirmed_at <= toDateTime({last_case_day:Date}, 'Asia/Shanghai')
ORDER BY cityHash64({seed:UInt64}, 'cap', t.person_id)
LIMIT {max_new_cases:UInt16};

-- Close contacts go under control: notified, 120 transfer, 7 days centralized quarantine,
-- 3 days home health monitoring; one episode per person, from their first identification.
INSERT INTO epi.control_episode
SELECT
    e.to_person AS person_id, 'close_contact' AS kind, '' AS case_id,
    e.identified_at,
    e.identified_at + toIntervalMinute(30 + cityHash64({seed:UInt64}, 'notify', e.to_person) % 150) AS notified_at,
    notified_at + toIntervalMinute(60 + cityHash64({seed:UInt64}, 'transfer', e.to_person) % 1560) AS transferred_at,
    assumeNotNull(transferred_at) + toIntervalMinute(30 + cityHash64({seed:UInt64}, 'arrive', e.to_person) % 60) AS quarantine_start,
    if(sc.person_id != 0 AND sc.confirmed_at > quarantine_start, sc.confirmed_at,
       quarantine_start + toIntervalDay({centralized_days:UInt8})) AS quarantine_end,
    if(sc.person_id != 0 AND sc.confirmed_at > quarantine_start, NULL,
       quarantine_end + toIntervalDay({monitoring_days:UInt8})) AS monitoring_end,
    if(monitoring_end IS NOT NULL AND assumeNotNull(monitoring_end) <= toDateTime({data_end:String}, 'Asia/Shanghai'), monitoring_end, NULL) AS released_at,
    multiIf(sc.person_id != 0 AND sc.confirmed_at > quarantine_start, 'became_case',
            released_at IS NOT NULL, 'released', 'in_progress') AS outcome,
    toUInt32(cityHash64({seed:UInt64}, 'hotel', e.to_person) % 150 + 1) AS hotel_id,
    r.community_code,
    'CDC', 'CDC-02', {batch_id:String}, cityHash64(e.to_person) % 1000000000000
FROM
(
    SELECT to_person, min(identified_at) AS identified_at
    FROM epi.seed_edge WHERE traced_on = {day:Date} AND hop = 1
    GROUP BY to_person
) AS e
INNER JOIN epi.seed_routine AS r ON r.person_id = e.to_person
LEFT JOIN epi.seed_case AS sc ON sc.person_id = e.to_person
WHERE e.to_person NOT IN (SELECT person_id FROM epi.control_episode);

-- Secondary close contacts: household members of today's new close contacts, 7 days at home.
INSERT INTO epi.seed_edge
SELECT
    {day:Date}, e.case_person, e.to_person, m.person_id, 2, 'household', 0,
    e.identified_at, e.identified_at + toIntervalHour(2 + cityHash64({seed:UInt64}, 'ident2', m.person_id) % 8)
FROM epi.seed_edge AS e
INNER JOIN epi.seed_routine AS r ON r.person_id = e.to_person
INNER JOIN epi.seed_routine AS m ON m.household_id = r.household_id
WHERE e.traced_on = {day:Date} AND e.hop = 1 AND m.person_id != e.to_person
  AND m.person_id NOT IN (SELECT to_person FROM epi.seed_edge WHERE hop = 1)
  AND m.person_id NOT IN (SELECT person_id FROM epi.seed_case)
  AND m.person_id NOT IN (SELECT person_id FROM epi.control_episode);

INSERT INTO epi.control_episode
SELECT
    e.to_person, 'secondary_contact', '', e.identified_at,
    e.identified_at + toIntervalMinute(30 + cityHash64({seed:UInt64}, 'notify', e.to_person) % 120) AS notified_at,
    NULL AS transferred_at,
    notified_at + toIntervalMinute(60 + cityHash64({seed:UInt64}, 'home', e.to_person) % 180) AS quarantine_start,
    quarantine_start + toIntervalDay({secondary_days:UInt8}) AS quarantine_end,
    NULL AS monitoring_end,
    if(quarantine_end <= toDateTime({data_end:String}, 'Asia/Shanghai'), quarantine_end, NULL) AS released_at,
    if(released_at IS NOT NULL, 'released', 'in_progress'),
    0, r.community_code, 'CDC', 'CDC-03', {batch_id:String}, cityHash64(e.to_person) % 1000000000000
FROM
(
    SELECT to_person, min(identified_at) AS identified_at
    FROM epi.seed_edge WHERE traced_on = {day:Date} AND hop = 2
    GROUP BY to_person
) AS e
INNER JOIN epi.seed_routine AS r ON r.person_id = e.to_person
WHERE e.to_person NOT IN (SELECT person_id FROM epi.control_episode);

INSERT INTO epi.seed_controlled
SELECT person_id, quarantine_start FROM epi.control_episode
WHERE toDate(identified_at, 'Asia/Shanghai') >= {day:Date}
  AND person_id NOT IN (SELECT person_id FROM epi.seed_controlled);
