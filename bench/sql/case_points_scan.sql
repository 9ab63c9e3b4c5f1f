-- Naive baseline for trajectories/case_points: the cases' points found by scanning every
-- trajectory point (`person_id + 0` keeps the sorting key out of use), no window pruning.
SELECT c.case_id AS case_id, p.person_id AS person_id, p.ts AS ts, p.lon AS lon, p.lat AS lat
FROM epi.trajectory_point AS p
INNER JOIN
(
    SELECT case_id, person_id, isolated_at,
           ifNull(toDateTime(onset_date, 'Asia/Shanghai'), sampled_at) - toIntervalDay({window_days:UInt8}) AS window_start
    FROM epi.case_record
    WHERE case_id IN {case_ids:Array(String)} AND startsWith(community_code, {scope:String})
) AS c ON c.person_id = p.person_id + 0
WHERE p.ts >= c.window_start AND p.ts <= c.isolated_at
ORDER BY case_id, ts
