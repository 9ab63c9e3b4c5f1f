-- The people behind a hotel's early warnings at 24:00 of the as-of day (see hotels.sql):
-- still staying after their protocol release date, or missing a test on a protocol day that
-- has passed (detail = the missing days). Names are masked by the portal before display.
-- grain: person × warning; params: scope, unit, as_of Date, centralized_days UInt8,
--   test_days Array(UInt8)
-- The tests missed are found with an anti join on (person, protocol day), not a tuple NOT IN;
-- `found` is made once (a materialized CTE) and the names are read for the people found only
-- (their ids prune the registry's person_id order), not by joining the whole registry.
WITH found AS MATERIALIZED
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

    SELECT 'missing_test', due.hotel_id, due.person_id, any(due.quarantine_start), any(due.release_due),
           arrayStringConcat(arraySort(groupArray(toString(due.d))), ',')
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
    ) AS due
    LEFT ANTI JOIN
    (
        SELECT person_id, protocol_day FROM epi.quarantine_test
        WHERE site_id = 0 AND sampled_at < toDateTime({as_of:Date} + 1, 'Asia/Shanghai')
    ) AS taken ON taken.person_id = due.person_id AND taken.protocol_day = due.d
    GROUP BY due.hotel_id, due.person_id
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
SETTINGS enable_materialized_cte = 1
