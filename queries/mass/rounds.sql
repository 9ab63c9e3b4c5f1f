-- Mass-testing rounds: first and last sampling day, samples, districts reached, from the
-- per-round, per-day, per-community aggregate (agg_mass_round_daily).
-- grain: round; params: scope String
SELECT round_id, min(day) AS first_day, max(day) AS last_day, sum(samples) AS samples,
       arraySort(groupUniqArray(substring(community_code, 1, 6))) AS districts
FROM epi.agg_mass_round_daily
WHERE startsWith(community_code, {scope:String})
GROUP BY round_id
ORDER BY round_id
