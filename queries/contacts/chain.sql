-- The contact chain of the chosen cases: case → close contacts (hop 1) → secondary close
-- contacts (hop 2), how each was found, when exposed and identified, and where each stood in
-- the closed loop at 24:00 of {as_of}: contacts identified by then, the status of their latest
-- episode identified by then (released by then, became a case by then, else under control).
-- Contacts outside the caller's jurisdiction are left out.
-- grain: edge; params: scope String, case_ids Array(String), as_of Date
SELECT
    e.case_id AS case_id, e.hop AS hop, e.from_person_id AS from_person_id, e.to_person_id AS to_person_id,
    toString(e.found_by) AS found_by, e.exposure_at AS exposure_at, e.identified_at AS identified_at,
    if(e.place_id = 0, '', pl.name) AS place_name,
    p.name AS person_name, e.community_code AS home_community_code,
    if(ep.person_id != 0, ep.outcome, '') AS outcome
FROM epi.contact_edge AS e
-- only the contacts' registry and control rows are read (both tables are sorted by person_id)
INNER JOIN
(
    SELECT person_id, name FROM epi.person
    WHERE person_id IN (SELECT to_person_id FROM epi.contact_edge WHERE case_id IN {case_ids:Array(String)})
) AS p ON p.person_id = e.to_person_id
LEFT JOIN epi.place AS pl ON pl.place_id = e.place_id
LEFT JOIN
(
    SELECT e.person_id AS person_id,
           argMax(multiIf(e.released_at IS NOT NULL AND e.released_at < toDateTime({as_of:Date} + 1, 'Asia/Shanghai'),
                          'released',
                          e.outcome = 'became_case' AND c.person_id != 0
                              AND c.confirmed_at < toDateTime({as_of:Date} + 1, 'Asia/Shanghai'),
                          'became_case',
                          'in_progress'), e.identified_at) AS outcome
    FROM epi.control_episode AS e
    LEFT JOIN (SELECT person_id, min(confirmed_at) AS confirmed_at FROM epi.case_record GROUP BY person_id) AS c
        ON c.person_id = e.person_id
    WHERE e.person_id IN (SELECT to_person_id FROM epi.contact_edge WHERE case_id IN {case_ids:Array(String)})
      AND e.identified_at < toDateTime({as_of:Date} + 1, 'Asia/Shanghai')
    GROUP BY e.person_id
) AS ep ON ep.person_id = e.to_person_id
WHERE e.case_id IN {case_ids:Array(String)} AND startsWith(e.community_code, {scope:String})
  AND e.identified_at < toDateTime({as_of:Date} + 1, 'Asia/Shanghai')
ORDER BY case_id, hop, identified_at, to_person_id
