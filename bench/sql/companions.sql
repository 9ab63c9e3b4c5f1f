-- Naive baseline for trajectories/companions: every trajectory point of every resident gets
-- its H3 cell computed on the fly (no (cell, time) copy), then joins the cases' presence
-- intervals.
WITH
everyone AS
(
    SELECT person_id, ts, h3ToParent(geoToH3(lat, lon, 8), {resolution:UInt8}) AS cell,
           ts + toIntervalMinute(least(dwell_minutes, {max_dwell_minutes:UInt16})) AS e
    FROM epi.trajectory_point
),
cases AS
(
    SELECT case_id, person_id, isolated_at,
           ifNull(toDateTime(onset_date, 'Asia/Shanghai'), sampled_at) - toIntervalDay({window_days:UInt8}) AS window_start
    FROM epi.case_record WHERE case_id IN {case_ids:Array(String)}
)
SELECT c.case_id AS case_id, v.person_id AS person_id,
       sum(dateDiff('second', greatest(k.ts, v.ts), least(k.e, v.e))) AS overlap_s
FROM everyone AS v
INNER JOIN (SELECT * FROM everyone WHERE person_id IN (SELECT person_id FROM cases)) AS k ON k.cell = v.cell
INNER JOIN cases AS c ON c.person_id = k.person_id
WHERE k.ts >= c.window_start AND k.ts <= c.isolated_at AND v.person_id NOT IN (SELECT person_id FROM cases)
  AND v.ts < k.e AND v.e > k.ts AND {scope:String} = {scope:String}
GROUP BY case_id, person_id
HAVING overlap_s > {min_overlap_minutes:UInt16} * 60
