-- Space-time companions (时空伴随者): residents who shared a grid cell with a chosen case for
-- more than {min_overlap_minutes} minutes inside the case's infectious window. The cases'
-- presence intervals come in as arrays (from trajectories/case_intervals); every resident's
-- point is a presence in its H3 cell for its dwell, at most {max_dwell_minutes}. Cells are H3
-- at {resolution} (5-8; 8 ≈ the 800 m grid), read from the (cell, time)-ordered copy of the
-- trajectories, so only the cases' cells are scanned.
-- grain: case × resident; params: scope, case_ids Array(String), resolution UInt8,
--   min_overlap_minutes UInt16, max_dwell_minutes UInt16, iv_case Array(String),
--   iv_person Array(UInt64), iv_place Array(UInt32), iv_cell Array(UInt64),
--   iv_start Array(UInt32), iv_end Array(UInt32) (Unix seconds)
WITH
case_iv AS
(
    SELECT iv.1 AS case_id, iv.2 AS case_person, iv.3 AS place_id, iv.4 AS cell,
           toDateTime(iv.5, 'Asia/Shanghai') AS s, toDateTime(iv.6, 'Asia/Shanghai') AS e
    FROM (SELECT arrayJoin(arrayZip({iv_case:Array(String)}, {iv_person:Array(UInt64)}, {iv_place:Array(UInt32)},
                                    {iv_cell:Array(UInt64)}, {iv_start:Array(UInt32)}, {iv_end:Array(UInt32)})) AS iv)
),
candidate_iv AS
(
    SELECT person_id, h3ToParent(cell, {resolution:UInt8}) AS grid, ts AS s,
           ts + toIntervalMinute(least(dwell_minutes, {max_dwell_minutes:UInt16})) AS e
    FROM epi.trajectory_by_cell
    WHERE cell IN (SELECT arrayJoin(h3ToChildren(arrayJoin(arrayDistinct({iv_cell:Array(UInt64)})), 8)))
      AND ts >= toDateTime(arrayMin({iv_start:Array(UInt32)}), 'Asia/Shanghai') - toIntervalMinute({max_dwell_minutes:UInt16})
      AND ts <= toDateTime(arrayMax({iv_end:Array(UInt32)}), 'Asia/Shanghai')
      AND person_id NOT IN {iv_person:Array(UInt64)}
),
pairs AS
(
    SELECT case_id, case_person, person_id, sum(ov) AS overlap_s, min(st) AS first_at,
           argMax(cell, ov) AS main_cell, argMax(place_id, ov) AS main_place
    FROM
    (
        SELECT c.case_id AS case_id, c.case_person AS case_person, v.person_id AS person_id,
               c.cell AS cell, c.place_id AS place_id, greatest(c.s, v.s) AS st,
               dateDiff('second', st, least(c.e, v.e)) AS ov
        FROM candidate_iv AS v
        INNER JOIN case_iv AS c ON c.cell = v.grid
        WHERE v.s < c.e AND v.e > c.s
    )
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
-- the person table is streamed and the (small) companion list is the hashed side
FROM epi.person AS per
INNER JOIN pairs AS pr ON pr.person_id = per.person_id
LEFT JOIN
(
    SELECT person_id, household_id FROM epi.person
    WHERE person_id IN {iv_person:Array(UInt64)}
) AS home ON home.person_id = pr.case_person
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
