-- Naive, full shape of cockpit/sites_by_unit: each site's last state of the day from every raw
-- status report of the two days; congested_ever from every report's queue.
SELECT
    substring(s.community_code, 1, {grain:UInt8}) AS unit_code,
    d.day AS day,
    count() AS sites,
    countIf(r.state = 'clear') AS clear,
    countIf(r.state = 'busy') AS busy,
    countIf(r.state = 'congested') AS congested,
    countIf(r.max_queue >= {congested_minutes:UInt16}) AS congested_ever,
    countIf(r.state = 'closed') AS closed,
    countIf(r.site_id = 0) AS unreported
FROM epi.sampling_site AS s
CROSS JOIN (SELECT arrayJoin([{as_of:Date} - 1, {as_of:Date}]) AS day) AS d
LEFT JOIN
(
    SELECT toDate(ts, 'Asia/Shanghai') AS day, site_id, toString(argMax(state, ts)) AS state, max(queue_minutes) AS max_queue
    FROM epi.site_status_report
    WHERE toDate(ts, 'Asia/Shanghai') BETWEEN {as_of:Date} - 1 AND {as_of:Date}
      AND startsWith(community_code, {scope:String}) AND startsWith(community_code, {unit:String})
    GROUP BY day, site_id
) AS r ON r.site_id = s.site_id AND r.day = d.day
WHERE startsWith(s.community_code, {scope:String}) AND startsWith(s.community_code, {unit:String})
GROUP BY unit_code, day
ORDER BY unit_code, day
