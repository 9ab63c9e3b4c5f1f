-- Centralized quarantine hotels at 24:00 of the as-of day (t_end): rooms, people staying
-- (close contacts with quarantine_start < t_end <= quarantine_end, as the cockpit counts them),
-- arrivals awaited (identified by t_end, assigned the hotel, not yet arrived), releases due by
-- the protocol within the next 24 h (quarantine_start + centralized_days < t_end + 24 h), people
-- still there after their protocol release date, and people staying whose test on a protocol
-- day that has passed by t_end is missing. A hotel belongs to the jurisdiction it stands in.
-- Only what is known at t_end: not when an awaited arrival will in fact come, nor whether a
-- stay will in fact end on its due date (one that ends with the person becoming a case does not).
-- The tests missed are found with an anti join on (person, protocol day) against the tests in
-- person order (epi.quarantine_test, 0019), not a tuple NOT IN over them.
-- grain: hotel; params: scope, unit, as_of Date, centralized_days UInt8, test_days Array(UInt8)
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
    SELECT due.hotel_id AS hotel_id, uniqExact(due.person_id) AS missing_people, count() AS missing_tests
    FROM
    (
        SELECT e.hotel_id AS hotel_id, e.person_id AS person_id, d
        FROM epi.control_episode AS e
        ARRAY JOIN {test_days:Array(UInt8)} AS d
        WHERE e.kind = 'close_contact' AND e.hotel_id > 0
          AND e.quarantine_start < toDateTime({as_of:Date} + 1, 'Asia/Shanghai')
          AND e.quarantine_end >= toDateTime({as_of:Date} + 1, 'Asia/Shanghai')
          AND toDate(e.quarantine_start, 'Asia/Shanghai') + (d - 1) <= {as_of:Date}
    ) AS due
    LEFT ANTI JOIN
    (
        SELECT person_id, protocol_day FROM epi.quarantine_test
        WHERE site_id = 0 AND sampled_at < toDateTime({as_of:Date} + 1, 'Asia/Shanghai')
    ) AS taken ON taken.person_id = due.person_id AND taken.protocol_day = due.d
    GROUP BY due.hotel_id
) AS m ON m.hotel_id = h.hotel_id
WHERE startsWith(h.community_code, {scope:String}) AND startsWith(h.community_code, {unit:String})
ORDER BY h.hotel_id
