-- Naive side of queries/contacts/alerts.sql: the closed-loop alerts with the quarantine tests taken from the whole sample
-- table and the tests missed found by a tuple NOT IN over them (no person-ordered copy, no
-- anti join). Same parameters and columns as the page's statement.
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
          SELECT person_id, protocol_day FROM (SELECT person_id, protocol_day, sampled_at, site_id, hotel_id FROM epi.sample WHERE purpose = 'quarantine' AND protocol_day > 0)
          WHERE sampled_at < toDateTime({as_of:Date}, 'Asia/Shanghai'))
    )
    WHERE startsWith(community_code, {scope:String}) AND startsWith(community_code, {unit:String})
)
SELECT alert, a.person_id AS person_id, p.name AS person_name, a.community_code AS home_community_code, case_id,
       identified_at, detail
FROM found AS a
INNER JOIN (SELECT person_id, name FROM epi.person WHERE person_id IN (SELECT person_id FROM found)) AS p
    ON p.person_id = a.person_id
ORDER BY alert, identified_at, person_id
