-- Samples taken at sampling sites per hour of a day, by district (hotel tests of people under
-- control left out: they use no site's capacity). From the hourly pre-aggregate.
-- grain: district × hour; params: scope String, unit String, day Date
SELECT substring(community_code, 1, 6) AS district_code, toHour(sampled_hour, 'Asia/Shanghai') AS hour,
       sum(samples) AS samples
FROM epi.agg_samples_hourly
WHERE sampled_hour >= toDateTime({day:Date}, 'Asia/Shanghai')
  AND sampled_hour < toDateTime({day:Date} + 1, 'Asia/Shanghai')
  AND purpose != 'quarantine'
  AND startsWith(community_code, {scope:String}) AND startsWith(community_code, {unit:String})
GROUP BY district_code, hour
ORDER BY district_code, hour
