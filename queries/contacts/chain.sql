-- The contact chain of the chosen cases: case → close contacts (hop 1) → secondary close
-- contacts (hop 2), how each was found, when exposed and identified, and where each stands
-- now in the closed loop. Contacts outside the caller's jurisdiction are left out.
-- grain: edge; params: scope String, case_ids Array(String)
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
    SELECT person_id, argMax(outcome, identified_at) AS outcome FROM epi.control_episode
    WHERE person_id IN (SELECT to_person_id FROM epi.contact_edge WHERE case_id IN {case_ids:Array(String)})
    GROUP BY person_id
) AS ep ON ep.person_id = e.to_person_id
WHERE e.case_id IN {case_ids:Array(String)} AND startsWith(e.community_code, {scope:String})
ORDER BY case_id, hop, identified_at, to_person_id
