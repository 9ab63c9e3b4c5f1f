-- Naive side of queries/contacts/alerts.sql: the same statement finding the quarantine tests by scanning the
-- sample table (kept in (site, time) order) instead of epi.quarantine_test.
-- People stuck in the closed loop at 24:00 of the as-of day: close contacts identified more
-- than {transfer_limit_hours} hours earlier and still not transferred, and people still under
-- control whose test on a quarantine protocol day that has passed is missing.
-- grain: person × problem; params: scope, unit, as_of Date, transfer_limit_hours UInt16,
--   close_test_days Array(UInt8), secondary_test_days Array(UInt8)
-- The names are read for the people found only (their ids prune the registry's person_id
-- order), not by joining the whole registry.
WITH found AS
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

    SELECT 'missing_test', e.person_id, e.community_code, e.case_id, e.identified_at, toString(d)
    FROM epi.control_episode AS e
    ARRAY JOIN if(e.kind = 'close_contact', {close_test_days:Array(UInt8)}, {secondary_test_days:Array(UInt8)}) AS d
    WHERE toDate(e.quarantine_start, 'Asia/Shanghai') + (d - 1) < {as_of:Date}
      AND toDate(e.quarantine_start, 'Asia/Shanghai') + (d - 1) < toDate(e.quarantine_end, 'Asia/Shanghai')
      AND ifNull(e.monitoring_end, e.quarantine_end) >= toDateTime({as_of:Date} + 1, 'Asia/Shanghai')
      AND (e.person_id, d) NOT IN (
          SELECT person_id, protocol_day FROM epi.sample
          WHERE purpose = 'quarantine' AND protocol_day > 0 AND sampled_at < toDateTime({as_of:Date}, 'Asia/Shanghai'))
    )
    WHERE startsWith(community_code, {scope:String}) AND startsWith(community_code, {unit:String})
)
SELECT alert, a.person_id AS person_id, p.name AS person_name, a.community_code AS home_community_code, case_id,
       identified_at, detail
FROM found AS a
INNER JOIN (SELECT person_id, name FROM epi.person WHERE person_id IN (SELECT person_id FROM found)) AS p
    ON p.person_id = a.person_id
ORDER BY alert, identified_at, person_id
