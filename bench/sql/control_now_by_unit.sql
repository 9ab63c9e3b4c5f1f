-- Naive baseline for cockpit/control_now_by_unit: scan every control episode.
SELECT substring(community_code, 1, {grain:UInt8}) AS unit_code, k AS kind,
       countIf(s < toDateTime({as_of:Date} + 1, 'Asia/Shanghai') AND e >= toDateTime({as_of:Date} + 1, 'Asia/Shanghai')) AS now
FROM
(
    SELECT community_code, 'centralized' AS k, quarantine_start AS s, quarantine_end AS e
    FROM epi.control_episode WHERE kind = 'close_contact'
    UNION ALL
    SELECT community_code, 'home_monitoring', quarantine_end, assumeNotNull(monitoring_end)
    FROM epi.control_episode WHERE kind = 'close_contact' AND monitoring_end IS NOT NULL
    UNION ALL
    SELECT community_code, 'home_quarantine', quarantine_start, quarantine_end
    FROM epi.control_episode WHERE kind = 'secondary_contact'
)
WHERE startsWith(community_code, {scope:String})
GROUP BY unit_code, kind ORDER BY unit_code, kind
