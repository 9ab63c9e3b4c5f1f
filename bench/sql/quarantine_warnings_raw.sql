-- Naive side of queries/quarantine/warnings.sql: the hotels' warnings with the quarantine tests taken from the whole sample
-- table and the tests missed found by a tuple NOT IN over them (no person-ordered copy, no
-- anti join). Same parameters and columns as the page's statement.
WITH found AS
(
    SELECT w.warning AS warning, w.hotel_id AS hotel_id, h.name AS hotel_name, w.person_id AS person_id,
           w.quarantine_start AS quarantine_start, w.release_due AS release_due, w.detail AS detail
    FROM
    (
    SELECT 'past_release' AS warning, hotel_id, person_id, quarantine_start,
           quarantine_start + toIntervalDay({centralized_days:UInt8}) AS release_due, '' AS detail
    FROM epi.control_episode
    WHERE kind = 'close_contact' AND hotel_id > 0
      AND quarantine_start < toDateTime({as_of:Date} + 1, 'Asia/Shanghai')
      AND quarantine_end >= toDateTime({as_of:Date} + 1, 'Asia/Shanghai')
      AND quarantine_start + toIntervalDay({centralized_days:UInt8}) < toDateTime({as_of:Date} + 1, 'Asia/Shanghai')

    UNION ALL

    SELECT 'missing_test', hotel_id, person_id, any(quarantine_start), any(release_due),
           arrayStringConcat(arraySort(groupArray(toString(d))), ',')
    FROM
    (
        SELECT e.hotel_id AS hotel_id, e.person_id AS person_id, e.quarantine_start AS quarantine_start,
               e.quarantine_start + toIntervalDay({centralized_days:UInt8}) AS release_due, d
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
    GROUP BY hotel_id, person_id
    ) AS w
    INNER JOIN epi.quarantine_hotel AS h ON h.hotel_id = w.hotel_id
    WHERE startsWith(h.community_code, {scope:String}) AND startsWith(h.community_code, {unit:String})
)
SELECT f.warning AS warning, f.hotel_id AS hotel_id, f.hotel_name AS hotel_name, f.person_id AS person_id,
       p.name AS person_name, f.quarantine_start AS quarantine_start, f.release_due AS release_due, f.detail AS detail
FROM found AS f
LEFT JOIN (SELECT person_id, name FROM epi.person WHERE person_id IN (SELECT person_id FROM found)) AS p
    ON p.person_id = f.person_id
ORDER BY warning, hotel_id, person_id
