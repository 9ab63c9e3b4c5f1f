-- Naive data span for the briefing's date check: first and last day a sample was taken, from
-- every raw sample.
SELECT min(toDate(sampled_at, 'Asia/Shanghai')) AS first_day, max(toDate(sampled_at, 'Asia/Shanghai')) AS last_day
FROM epi.sample
WHERE startsWith(community_code, {scope:String})
