-- Naive baseline for cockpit/contacts_by_unit: scan every control episode.
SELECT substring(community_code, 1, {grain:UInt8}) AS unit_code, toString(kind) AS kind,
       countIf(toDate(identified_at, 'Asia/Shanghai') = {as_of:Date}) AS today
FROM epi.control_episode
WHERE startsWith(community_code, {scope:String})
GROUP BY unit_code, kind HAVING today > 0 ORDER BY unit_code, kind
