-- Naive baseline for cockpit/sites_by_unit: every site's last report of the day from the raw reports.
SELECT substring(site_community, 1, {grain:UInt8}) AS unit_code, countIf(state = 'congested') AS congested
FROM
(
    SELECT site_id, any(r.community_code) AS site_community, argMax(state, ts) AS state
    FROM epi.site_status_report AS r
    WHERE toDate(ts, 'Asia/Shanghai') = {as_of:Date} AND startsWith(r.community_code, {scope:String})
    GROUP BY site_id
)
GROUP BY unit_code ORDER BY unit_code
