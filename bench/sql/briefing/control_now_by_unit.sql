-- Naive, full shape of cockpit/control_now_by_unit: every control episode read and tested
-- against the day's 24:00 (no pre-aggregate). A (unit, kind) is listed once its first event
-- has happened, like the aggregate's rows.
SELECT substring(community_code, 1, {grain:UInt8}) AS unit_code, k AS kind,
       toInt64(countIf(s <= {as_of:Date} AND e > {as_of:Date})) AS now,
       toInt64(countIf(s <= {as_of:Date} - 1 AND e > {as_of:Date} - 1)) AS prev
FROM
(
    SELECT community_code, 'centralized' AS k, toDate(quarantine_start, 'Asia/Shanghai') AS s,
           toDate(quarantine_end, 'Asia/Shanghai') AS e
    FROM epi.control_episode WHERE kind = 'close_contact'
    UNION ALL
    SELECT community_code, 'home_monitoring', toDate(quarantine_end, 'Asia/Shanghai'),
           toDate(assumeNotNull(monitoring_end), 'Asia/Shanghai')
    FROM epi.control_episode WHERE kind = 'close_contact' AND monitoring_end IS NOT NULL
    UNION ALL
    SELECT community_code, 'home_quarantine', toDate(quarantine_start, 'Asia/Shanghai'),
           toDate(quarantine_end, 'Asia/Shanghai')
    FROM epi.control_episode WHERE kind = 'secondary_contact'
)
WHERE startsWith(community_code, {scope:String}) AND startsWith(community_code, {unit:String})
  AND s <= {as_of:Date}
GROUP BY unit_code, kind ORDER BY unit_code, kind
