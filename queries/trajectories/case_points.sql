-- Trajectory points of the chosen cases inside each case's infectious window ({window_days}
-- days before onset, or before sampling for asymptomatic infections, until isolation), with
-- the time the person moved on (NULL when the day's last point leaves it open), the place
-- name and the H3 cell.
-- grain: point; params: scope String, case_ids Array(String), window_days UInt8
SELECT
    c.case_id AS case_id, p.person_id AS person_id, p.ts AS ts,
    if(p.dwell_minutes < 1440, p.ts + toIntervalMinute(p.dwell_minutes), NULL) AS next_ts,
    p.lon AS lon, p.lat AS lat, toString(p.source) AS source, p.place_id AS place_id,
    if(p.place_id = 0, '', pl.name) AS place_name,
    h3ToString(geoToH3(p.lat, p.lon, 8)) AS cell,
    p.community_code AS community_code
FROM
(
    SELECT person_id, ts, lon, lat, source, place_id, community_code, dwell_minutes
    FROM epi.trajectory_point
    WHERE person_id IN (
        SELECT person_id FROM epi.case_record
        WHERE case_id IN {case_ids:Array(String)} AND startsWith(community_code, {scope:String}))
) AS p
INNER JOIN
(
    SELECT case_id, person_id, isolated_at,
           ifNull(toDateTime(onset_date, 'Asia/Shanghai'), sampled_at) - toIntervalDay({window_days:UInt8}) AS window_start
    FROM epi.case_record
    WHERE case_id IN {case_ids:Array(String)} AND startsWith(community_code, {scope:String})
) AS c ON c.person_id = p.person_id
LEFT JOIN epi.place AS pl ON pl.place_id = p.place_id
WHERE p.ts >= c.window_start AND p.ts <= c.isolated_at
ORDER BY case_id, ts
