-- Space-time companions (时空伴随者): residents who shared a grid cell with a chosen case for
-- more than {min_overlap_minutes} minutes inside the case's infectious window. The cases'
-- presence intervals come in as arrays (from trajectories/case_intervals); every resident's
-- point is a presence in its H3 cell for its dwell, at most {max_dwell_minutes}. Cells are H3
-- at {resolution} (5-8; 8 ≈ the 800 m grid), read from the (cell, time)-ordered copy of the
-- trajectories, so only the cases' cells are scanned.
-- Each resident's point is matched against the intervals of its own cell held in arrays (one
-- array of intervals per cell, looked up by position) rather than through a join, and points
-- outside the cell's first-to-last interval are dropped before matching. The copy is read in
-- the (cell, hour) slices the intervals can reach (its key prunes to them: 0.65 M rows instead
-- of 14 M for 10 cases at `full`), and the community of each listed pair's point is read from the
-- points of the cases' time span only (one month's partition instead of two). Only the
-- {limit} longest pairs are looked up in the registry, control and contact tables — as of
-- 24:00 of {as_of}: the control status then (an episode identified by then: released by then,
-- became a case by then, else under control) and contacts identified by then. Where a pair
-- met is named by the community of the resident's longest-overlapping point.
-- grain: case × resident; params: scope, as_of Date, case_ids Array(String), resolution UInt8,
--   min_overlap_minutes UInt16, max_dwell_minutes UInt16, limit UInt32, iv_case Array(String),
--   iv_person Array(UInt64), iv_place Array(UInt32), iv_cell Array(UInt64),
--   iv_start Array(UInt32), iv_end Array(UInt32) (Unix seconds, ordered by case)
WITH
case_iv AS
(
    SELECT iv.1 AS case_ix, iv.2 AS place_id, iv.3 AS cell, iv.4 AS s, iv.5 AS e
    FROM (SELECT arrayJoin(arrayZip(arrayEnumerateDense({iv_case:Array(String)}), {iv_place:Array(UInt32)},
                                    {iv_cell:Array(UInt64)}, {iv_start:Array(UInt32)}, {iv_end:Array(UInt32)})) AS iv)
),
by_cell AS
(
    SELECT cell, groupArray((case_ix, s, e, place_id)) AS ivs, min(s) AS lo, max(e) AS hi
    FROM case_iv GROUP BY cell
),
cells AS
(
    SELECT groupArray(cell) AS cell, groupArray(ivs) AS ivs, groupArray(lo) AS lo, groupArray(hi) AS hi FROM by_cell
),
cell_hours AS
(
    -- the (cell, hour) slices of the (cell, time) copy a point overlapping an interval can lie in:
    -- the interval's cell at resolution 8, from {max_dwell_minutes} before its start to its end
    SELECT DISTINCT arrayJoin(arrayFlatten(arrayMap((c, s, e) -> arrayMap(
               pair -> pair,
               arrayFlatten(arrayMap(child -> arrayMap(h -> (child, h),
                   range(intDiv(toUInt32(s - least(s, 60 * {max_dwell_minutes:UInt16})), 3600) * 3600,
                         intDiv(e, 3600) * 3600 + 1, 3600)),
                   h3ToChildren(c, 8)))),
           {iv_cell:Array(UInt64)}, {iv_start:Array(UInt32)}, {iv_end:Array(UInt32)}))) AS cell_hour
),
candidate_iv AS
(
    SELECT person_id, h3ToParent(cell, {resolution:UInt8}) AS grid, indexOf((SELECT cell FROM cells), grid) AS k,
           toUnixTimestamp(ts) AS vs, vs + 60 * least(dwell_minutes, {max_dwell_minutes:UInt16}) AS ve
    FROM epi.trajectory_by_cell
    WHERE (cell, toStartOfHour(ts)) IN (SELECT cell_hour.1, toDateTime(cell_hour.2, 'Asia/Shanghai') FROM cell_hours)
      AND ts >= toDateTime(arrayMin({iv_start:Array(UInt32)}), 'Asia/Shanghai') - toIntervalMinute({max_dwell_minutes:UInt16})
      AND ts <= toDateTime(arrayMax({iv_end:Array(UInt32)}), 'Asia/Shanghai')
      AND person_id NOT IN {iv_person:Array(UInt64)}
),
pairs AS
(
    -- m = (case, overlap start, overlap end, the case's place) for each interval the point overlaps
    SELECT m.1 AS case_ix, person_id, sum(m.3 - m.2) AS overlap_s, min(m.2) AS first_s,
           argMax(grid, m.3 - m.2) AS main_cell, argMax(m.4, m.3 - m.2) AS main_place,
           argMax(vs, m.3 - m.2) AS main_s
    FROM
    (
        SELECT person_id, grid, vs,
               arrayJoin(arrayFilter(x -> x.3 > x.2,
                   arrayMap(i -> (i.1, greatest(i.2, vs), least(i.3, ve), i.4), (SELECT ivs FROM cells)[k]))) AS m
        FROM candidate_iv
        WHERE vs < (SELECT hi FROM cells)[k] AND ve > (SELECT lo FROM cells)[k]
    )
    GROUP BY case_ix, person_id
    HAVING overlap_s > {min_overlap_minutes:UInt16} * 60
),
-- the longest pairs, computed once as one constant array and read by each lookup below
top_pairs AS
(
    SELECT groupArray((case_ix, person_id, overlap_s, first_s, main_cell, main_place, main_s)) AS list
    FROM
    (
        SELECT * FROM pairs
        -- a scoped user's list holds the residents of their jurisdiction only
        WHERE {scope:String} = ''
           OR person_id IN (SELECT person_id FROM epi.person WHERE startsWith(community_code, {scope:String}))
        ORDER BY round(overlap_s / 60, 1) DESC, case_ix, person_id
        LIMIT {limit:UInt32}
    )
),
top AS
(
    SELECT p.1 AS case_ix, {iv_case:Array(String)}[indexOf(arrayEnumerateDense({iv_case:Array(String)}), case_ix)] AS case_id,
           {iv_person:Array(UInt64)}[indexOf(arrayEnumerateDense({iv_case:Array(String)}), case_ix)] AS case_person,
           p.2 AS person_id, round(p.3 / 60, 1) AS overlap_minutes, toDateTime(p.4, 'Asia/Shanghai') AS first_at,
           p.5 AS main_cell, p.6 AS main_place, toDateTime(p.7, 'Asia/Shanghai') AS main_at
    FROM (SELECT arrayJoin((SELECT list FROM top_pairs)) AS p)
)
SELECT
    pr.case_id AS case_id, pr.person_id AS person_id, pr.overlap_minutes AS overlap_minutes,
    pr.first_at AS first_at, h3ToString(pr.main_cell) AS cell, if(pr.main_place = 0, '', pl.name) AS place_name,
    ifNull(mc.name, '') AS companion_community, per.name AS person_name, per.community_code AS home_community_code,
    ifNull(hc.name, '') AS home_community,
    per.household_id = home.household_id AS same_household,
    ce.to_person_id != 0 AS known_contact,
    if(ce.to_person_id != 0, toString(ce.found_by), '') AS contact_found_by,
    if(ep.person_id != 0, ep.outcome, '') AS control_outcome,
    if(ep.person_id != 0, toString(ep.kind), '') AS control_kind
FROM top AS pr
INNER JOIN
(
    SELECT person_id, name, community_code, household_id FROM epi.person
    WHERE person_id IN (SELECT person_id FROM top)
) AS per ON per.person_id = pr.person_id
LEFT JOIN
(
    SELECT person_id, household_id FROM epi.person
    WHERE person_id IN {iv_person:Array(UInt64)}
) AS home ON home.person_id = pr.case_person
LEFT JOIN epi.place AS pl ON pl.place_id = pr.main_place
LEFT JOIN
(
    SELECT person_id, ts, any(community_code) AS community_code FROM epi.trajectory_point
    WHERE person_id IN (SELECT person_id FROM top)
      AND ts >= toDateTime(arrayMin({iv_start:Array(UInt32)}), 'Asia/Shanghai') - toIntervalMinute({max_dwell_minutes:UInt16})
      AND ts <= toDateTime(arrayMax({iv_end:Array(UInt32)}), 'Asia/Shanghai')
    GROUP BY person_id, ts
) AS tp ON tp.person_id = pr.person_id AND tp.ts = pr.main_at
LEFT JOIN epi.community AS mc ON mc.code = tp.community_code
LEFT JOIN epi.community AS hc ON hc.code = per.community_code
LEFT JOIN
(
    SELECT case_id, to_person_id, any(found_by) AS found_by FROM epi.contact_edge
    WHERE case_id IN {case_ids:Array(String)}
      AND identified_at < toDateTime({as_of:Date} + 1, 'Asia/Shanghai')
    GROUP BY case_id, to_person_id
) AS ce ON ce.case_id = pr.case_id AND ce.to_person_id = pr.person_id
LEFT JOIN
(
    SELECT e.person_id AS person_id, argMax(e.kind, e.identified_at) AS kind,
           argMax(multiIf(e.released_at IS NOT NULL AND e.released_at < toDateTime({as_of:Date} + 1, 'Asia/Shanghai'),
                          'released',
                          e.outcome = 'became_case' AND c.person_id != 0
                              AND c.confirmed_at < toDateTime({as_of:Date} + 1, 'Asia/Shanghai'),
                          'became_case',
                          'in_progress'), e.identified_at) AS outcome
    FROM epi.control_episode AS e
    LEFT JOIN
    (
        SELECT person_id, min(confirmed_at) AS confirmed_at FROM epi.case_record
        WHERE person_id IN (SELECT person_id FROM top) GROUP BY person_id
    ) AS c ON c.person_id = e.person_id
    WHERE e.person_id IN (SELECT person_id FROM top)
      AND e.identified_at < toDateTime({as_of:Date} + 1, 'Asia/Shanghai')
    GROUP BY e.person_id
) AS ep ON ep.person_id = pr.person_id
WHERE startsWith(per.community_code, {scope:String})
ORDER BY overlap_minutes DESC, case_id, person_id
