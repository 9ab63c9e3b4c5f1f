-- Every coded sampling site under a unit with its last reported state and queue at a time of
-- day (reports of that day up to the end of the hour; none yet → unreported, empty state).
-- grain: site; params: scope String, unit String, day Date, hour UInt8 (0–23)
SELECT
    s.site_id AS site_id, s.site_code AS site_code, s.name AS site_name, toString(s.kind) AS kind,
    toString(s.community_code) AS community_code, s.lon AS lon, s.lat AS lat, s.samplers AS samplers,
    s.capacity_per_hour AS capacity_per_hour, s.open_hour AS open_hour, s.close_hour AS close_hour,
    r.state AS state, r.queue_minutes AS queue_minutes, r.reported_at AS reported_at,
    r.max_queue AS max_queue, r.reports AS reports
FROM epi.sampling_site AS s
LEFT JOIN
(
    SELECT site_id, toString(argMaxMerge(last_state)) AS state, argMaxMerge(last_queue) AS queue_minutes,
           max(last_ts) AS reported_at, max(max_queue) AS max_queue, sum(reports) AS reports
    FROM epi.agg_site_state_hourly
    WHERE day = {day:Date} AND hour <= {hour:UInt8}
      AND startsWith(community_code, {scope:String}) AND startsWith(community_code, {unit:String})
    GROUP BY site_id
) AS r ON r.site_id = s.site_id
WHERE startsWith(s.community_code, {scope:String}) AND startsWith(s.community_code, {unit:String})
ORDER BY s.site_id
