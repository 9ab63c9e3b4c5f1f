-- Naive site states: every site's last report up to the hour, from the raw reports (ordered by
-- site, so a day's reports are found by scanning all of them); the same columns as the page's.
SELECT
    s.site_id AS site_id, s.site_code AS site_code, s.name AS site_name, toString(s.kind) AS kind,
    toString(s.community_code) AS community_code, s.lon AS lon, s.lat AS lat, s.samplers AS samplers,
    s.capacity_per_hour AS capacity_per_hour, s.open_hour AS open_hour, s.close_hour AS close_hour,
    r.state AS state, r.queue_minutes AS queue_minutes, r.reported_at AS reported_at,
    r.max_queue AS max_queue, r.reports AS reports
FROM epi.sampling_site AS s
LEFT JOIN
(
    SELECT site_id, toString(argMax(r0.state, ts)) AS state, argMax(r0.queue_minutes, ts) AS queue_minutes,
           max(ts) AS reported_at, max(r0.queue_minutes) AS max_queue, count() AS reports
    FROM epi.site_status_report AS r0
    WHERE toDate(ts, 'Asia/Shanghai') = {day:Date} AND toHour(ts, 'Asia/Shanghai') <= {hour:UInt8}
    GROUP BY site_id
) AS r ON r.site_id = s.site_id
ORDER BY s.site_id
