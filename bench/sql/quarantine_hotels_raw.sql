-- Naive side of queries/quarantine/hotels.sql: the quarantine hotels with the quarantine tests taken from the whole sample
-- table and the tests missed found by a tuple NOT IN over them (no person-ordered copy, no
-- anti join). Same parameters and columns as the page's statement.
SELECT
    h.hotel_id AS hotel_id, h.name AS hotel_name, h.community_code AS community_code, h.rooms AS rooms,
    ifNull(o.staying, 0) AS staying,
    ifNull(o.releases_24h, 0) AS releases_24h,
    ifNull(o.past_release, 0) AS past_release,
    ifNull(a.arrivals_24h, 0) AS arrivals_24h,
    ifNull(m.missing_people, 0) AS missing_test_people,
    ifNull(m.missing_tests, 0) AS missing_tests
FROM epi.quarantine_hotel AS h
LEFT JOIN
(
    SELECT hotel_id, count() AS staying,
           countIf(quarantine_start + toIntervalDay({centralized_days:UInt8}) < t_end + toIntervalHour(24)) AS releases_24h,
           countIf(quarantine_start + toIntervalDay({centralized_days:UInt8}) < t_end) AS past_release
    FROM
    (
        SELECT hotel_id, quarantine_start, quarantine_end, toDateTime({as_of:Date} + 1, 'Asia/Shanghai') AS t_end
        FROM epi.control_episode
        WHERE kind = 'close_contact' AND hotel_id > 0
    )
    WHERE quarantine_start < t_end AND quarantine_end >= t_end
    GROUP BY hotel_id
) AS o ON o.hotel_id = h.hotel_id
LEFT JOIN
(
    SELECT hotel_id, count() AS arrivals_24h
    FROM epi.control_episode
    WHERE kind = 'close_contact' AND hotel_id > 0
      AND identified_at < toDateTime({as_of:Date} + 1, 'Asia/Shanghai')
      AND quarantine_start >= toDateTime({as_of:Date} + 1, 'Asia/Shanghai')
    GROUP BY hotel_id
) AS a ON a.hotel_id = h.hotel_id
LEFT JOIN
(
    SELECT hotel_id, uniqExact(person_id) AS missing_people, count() AS missing_tests
    FROM
    (
        SELECT e.hotel_id AS hotel_id, e.person_id AS person_id, d
        FROM epi.control_episode AS e
        ARRAY JOIN {test_days:Array(UInt8)} AS d
        WHERE e.kind = 'close_contact' AND e.hotel_id > 0
          AND e.quarantine_start < toDateTime({as_of:Date} + 1, 'Asia/Shanghai')
          AND e.quarantine_end >= toDateTime({as_of:Date} + 1, 'Asia/Shanghai')
          AND toDate(e.quarantine_start, 'Asia/Shanghai') + (d - 1) <= {as_of:Date}
    )
    WHERE (person_id, d) NOT IN (
        SELECT person_id, protocol_day FROM (SELECT person_id, protocol_day, sampled_at, site_id, hotel_id FROM epi.sample WHERE purpose = 'quarantine' AND protocol_day > 0)
        WHERE site_id = 0 AND sampled_at < toDateTime({as_of:Date} + 1, 'Asia/Shanghai'))
    GROUP BY hotel_id
) AS m ON m.hotel_id = h.hotel_id
WHERE startsWith(h.community_code, {scope:String}) AND startsWith(h.community_code, {unit:String})
ORDER BY h.hotel_id
