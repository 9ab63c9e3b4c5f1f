-- Space-time companions (时空伴随者): residents who shared a grid cell with a chosen case for
-- more than {min_overlap_minutes} minutes inside the case's infectious window. Every point is
-- a presence in its H3 cell from its time until the person's next point, at most
-- {max_dwell_minutes}. Cells are H3 at {resolution} (5-8; 8 ≈ the 800 m grid), read from the
-- (cell, time)-ordered copy of the trajectories, so only the cases' cells are scanned.
-- grain: case × resident; params: scope, case_ids Array(String), window_days UInt8,
--   resolution UInt8, min_overlap_minutes UInt16, max_dwell_minutes UInt16
WITH
case_iv AS
(
    SELECT c.case_id AS case_id, p.person_id AS case_person, p.place_id AS place_id,
           h3ToParent(geoToH3(p.lat, p.lon, 8), {resolution:UInt8}) AS cell,
           p.ts AS s,
           p.ts + toIntervalMinute(least(if(p.nxt > p.ts, dateDiff('minute', p.ts, p.nxt), 100000),
                                         {max_dwell_minutes:UInt16})) AS e
    FROM
    (
        SELECT person_id, ts, lat, lon, place_id,
               leadInFrame(ts) OVER (PARTITION BY person_id ORDER BY ts
                                     ROWS BETWEEN CURRENT ROW AND 1 FOLLOWING) AS nxt
        FROM epi.trajectory_point
        WHERE person_id IN (SELECT person_id FROM epi.case_record WHERE case_id IN {case_ids:Array(String)})
    ) AS p
    INNER JOIN
    (
        SELECT case_id, person_id, isolated_at,
               ifNull(toDateTime(onset_date, 'Asia/Shanghai'), sampled_at) - toIntervalDay({window_days:UInt8}) AS window_start
        FROM epi.case_record WHERE case_id IN {case_ids:Array(String)}
    ) AS c ON c.person_id = p.person_id
    WHERE p.ts >= c.window_start AND p.ts <= c.isolated_at
),
bounds AS (SELECT min(s) - toIntervalMinute({max_dwell_minutes:UInt16}) AS lo, max(e) AS hi FROM case_iv),
candidate AS
(
    SELECT person_id, ts, h3ToParent(cell, {resolution:UInt8}) AS cell
    FROM epi.trajectory_by_cell
    WHERE cell IN (SELECT arrayJoin(h3ToChildren(cell, 8)) FROM case_iv)
      AND ts >= (SELECT lo FROM bounds) AND ts <= (SELECT hi FROM bounds)
      AND person_id NOT IN (SELECT case_person FROM case_iv)
),
candidate_iv AS
(
    SELECT k.person_id AS person_id, k.cell AS cell, k.ts AS s,
           k.ts + toIntervalMinute(least(if(n.nxt > n.ts, dateDiff('minute', n.ts, n.nxt), 100000),
                                         {max_dwell_minutes:UInt16})) AS e
    FROM candidate AS k
    INNER JOIN
    (
        SELECT person_id, ts,
               leadInFrame(ts) OVER (PARTITION BY person_id ORDER BY ts
                                     ROWS BETWEEN CURRENT ROW AND 1 FOLLOWING) AS nxt
        FROM epi.trajectory_point
        WHERE person_id IN (SELECT person_id FROM candidate)
          AND ts >= (SELECT lo FROM bounds) AND ts <= (SELECT hi FROM bounds) + toIntervalDay(1)
    ) AS n ON n.person_id = k.person_id AND n.ts = k.ts
),
pairs AS
(
    SELECT c.case_id AS case_id, c.case_person AS case_person, v.person_id AS person_id,
           sum(dateDiff('second', greatest(c.s, v.s), least(c.e, v.e))) AS overlap_s,
           min(greatest(c.s, v.s)) AS first_at,
           argMax(c.cell, dateDiff('second', greatest(c.s, v.s), least(c.e, v.e))) AS main_cell,
           argMax(c.place_id, dateDiff('second', greatest(c.s, v.s), least(c.e, v.e))) AS main_place
    FROM candidate_iv AS v
    INNER JOIN case_iv AS c ON c.cell = v.cell
    WHERE v.s < c.e AND v.e > c.s
    GROUP BY case_id, case_person, person_id
    HAVING overlap_s > {min_overlap_minutes:UInt16} * 60
)
SELECT
    pr.case_id AS case_id, pr.person_id AS person_id, round(pr.overlap_s / 60, 1) AS overlap_minutes,
    pr.first_at AS first_at, h3ToString(pr.main_cell) AS cell, if(pr.main_place = 0, '', pl.name) AS place_name,
    per.name AS name, per.community_code AS community_code,
    per.household_id = home.household_id AS same_household,
    ce.to_person_id != 0 AS known_contact,
    if(ce.to_person_id != 0, toString(ce.found_by), '') AS contact_found_by,
    if(ep.person_id != 0, ep.outcome, '') AS control_outcome,
    if(ep.person_id != 0, toString(ep.kind), '') AS control_kind
FROM pairs AS pr
INNER JOIN epi.person AS per ON per.person_id = pr.person_id
LEFT JOIN epi.person AS home ON home.person_id = pr.case_person
LEFT JOIN epi.place AS pl ON pl.place_id = pr.main_place
LEFT JOIN
(
    SELECT case_id, to_person_id, any(found_by) AS found_by FROM epi.contact_edge
    WHERE case_id IN {case_ids:Array(String)} GROUP BY case_id, to_person_id
) AS ce ON ce.case_id = pr.case_id AND ce.to_person_id = pr.person_id
LEFT JOIN
(
    SELECT person_id, argMax(outcome, identified_at) AS outcome, argMax(kind, identified_at) AS kind
    FROM epi.control_episode GROUP BY person_id
) AS ep ON ep.person_id = pr.person_id
WHERE startsWith(per.community_code, {scope:String})
ORDER BY overlap_minutes DESC, case_id, person_id
