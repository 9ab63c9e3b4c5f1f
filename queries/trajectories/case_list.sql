-- Cases the trajectory page can choose from: number, kind, dates, residence, cluster.
-- grain: case; params: scope String
SELECT case_id, person_id, toString(kind) AS kind, generation, cluster, found_by, infector_case,
       onset_date, sampled_at, confirmed_at, isolated_at, community_code,
       substring(community_code, 1, 6) AS district_code
FROM epi.case_record
WHERE startsWith(community_code, {scope:String})
ORDER BY confirmed_at, case_id
