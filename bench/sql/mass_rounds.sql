-- Naive baseline for mass/rounds: every sample scanned for the rounds' first and last day,
-- samples and districts reached.
SELECT round_id, toDate(min(sampled_at), 'Asia/Shanghai') AS first_day, toDate(max(sampled_at), 'Asia/Shanghai') AS last_day,
       count() AS samples, arraySort(groupUniqArray(substring(community_code, 1, 6))) AS districts
FROM epi.sample
WHERE purpose = 'mass' AND round_id > 0 AND startsWith(community_code, {scope:String})
GROUP BY round_id
ORDER BY round_id
