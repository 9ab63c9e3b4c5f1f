-- People stuck in the closed loop at 24:00 of the as-of day: close contacts identified more
-- than {transfer_limit_hours} hours earlier and still not transferred, and people still under
-- control whose test on a quarantine protocol day that has passed is missing.
-- grain: person × problem; params: scope, unit, as_of Date, transfer_limit_hours UInt16,
--   close_test_days Array(UInt8), secondary_test_days Array(UInt8), with_names UInt8
--   (1: each person's name from the registry, as the contacts page lists them; 0: no name and no
--   registry read, for the alert rules, which name people by their number — the registry rows
--   of 43,000 people lie in nearly every granule and took 200 of the 430 ms at `full`)
-- The tests taken come from epi.quarantine_test, the quarantine tests in person order (0019).
-- The tests due and not taken are found with an anti join on (person, protocol day): a tuple
-- NOT IN over the 4.85 million tests at `full` took 3.5 times as long. `found` is made once
-- (a materialized CTE) and the names are read for the people found only (their ids prune the
-- registry's person_id order), not by joining the whole registry.
WITH found AS MATERIALIZED
(
    SELECT * FROM
    (
    SELECT 'not_transferred' AS alert, e.person_id AS person_id, e.community_code AS community_code,
           e.case_id AS case_id, e.identified_at AS identified_at,
           toString(dateDiff('hour', e.identified_at, toDateTime({as_of:Date} + 1, 'Asia/Shanghai'))) AS detail
    FROM epi.control_episode AS e
    WHERE e.kind = 'close_contact'
      AND e.identified_at < toDateTime({as_of:Date} + 1, 'Asia/Shanghai') - toIntervalHour({transfer_limit_hours:UInt16})
      AND (e.transferred_at IS NULL OR e.transferred_at >= toDateTime({as_of:Date} + 1, 'Asia/Shanghai'))

    UNION ALL

    SELECT 'missing_test', due.person_id, due.community_code, due.case_id, due.identified_at, toString(due.d)
    FROM
    (
        SELECT e.person_id AS person_id, e.community_code AS community_code, e.case_id AS case_id,
               e.identified_at AS identified_at, d
        FROM epi.control_episode AS e
        ARRAY JOIN if(e.kind = 'close_contact', {close_test_days:Array(UInt8)}, {secondary_test_days:Array(UInt8)}) AS d
        WHERE toDate(e.quarantine_start, 'Asia/Shanghai') + (d - 1) < {as_of:Date}
          AND toDate(e.quarantine_start, 'Asia/Shanghai') + (d - 1) < toDate(e.quarantine_end, 'Asia/Shanghai')
          AND ifNull(e.monitoring_end, e.quarantine_end) >= toDateTime({as_of:Date} + 1, 'Asia/Shanghai')
    ) AS due
    LEFT ANTI JOIN
    (
        SELECT person_id, protocol_day FROM epi.quarantine_test
        WHERE sampled_at < toDateTime({as_of:Date}, 'Asia/Shanghai')
    ) AS taken ON taken.person_id = due.person_id AND taken.protocol_day = due.d
    )
    WHERE startsWith(community_code, {scope:String}) AND startsWith(community_code, {unit:String})
)
SELECT alert, a.person_id AS person_id, p.name AS person_name, a.community_code AS home_community_code, case_id,
       identified_at, detail
FROM found AS a
LEFT JOIN (SELECT person_id, name FROM epi.person
           WHERE {with_names:UInt8} = 1 AND person_id IN (SELECT person_id FROM found)) AS p
    ON p.person_id = a.person_id
ORDER BY alert, identified_at, person_id
SETTINGS enable_materialized_cte = 1
