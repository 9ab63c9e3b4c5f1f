-- Naive samples per district and hour of a day, from the raw samples.
SELECT substring(community_code, 1, 6) AS district_code, toHour(sampled_at, 'Asia/Shanghai') AS hour, count() AS samples
FROM epi.sample
WHERE toDate(sampled_at, 'Asia/Shanghai') = {day:Date} AND purpose != 'quarantine'
GROUP BY district_code, hour
ORDER BY district_code, hour
