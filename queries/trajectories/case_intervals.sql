-- The chosen cases' presence intervals inside their infectious windows: each trajectory point
-- is a presence in its H3 cell (at {resolution}) for its dwell, at most {max_dwell_minutes}.
-- Times as Unix seconds, so they go back into the companion query without time-zone shifts.
-- grain: interval; params: scope, case_ids Array(String), window_days UInt8, resolution UInt8,
--   max_dwell_minutes UInt16
SELECT
    c.case_id AS case_id, p.person_id AS case_person, p.place_id AS place_id,
    h3ToParent(geoToH3(p.lat, p.lon, 8), {resolution:UInt8}) AS cell,
    toUnixTimestamp(p.ts) AS s,
    toUnixTimestamp(p.ts + toIntervalMinute(least(p.dwell_minutes, {max_dwell_minutes:UInt16}))) AS e
FROM epi.trajectory_point AS p
INNER JOIN
(
    SELECT case_id, person_id, isolated_at,
           ifNull(toDateTime(onset_date, 'Asia/Shanghai'), sampled_at) - toIntervalDay({window_days:UInt8}) AS window_start
    FROM epi.case_record
    WHERE case_id IN {case_ids:Array(String)} AND startsWith(community_code, {scope:String})
) AS c ON c.person_id = p.person_id
WHERE p.person_id IN (
        SELECT person_id FROM epi.case_record
        WHERE case_id IN {case_ids:Array(String)} AND startsWith(community_code, {scope:String}))
  AND p.ts >= c.window_start AND p.ts <= c.isolated_at
ORDER BY case_id, s
