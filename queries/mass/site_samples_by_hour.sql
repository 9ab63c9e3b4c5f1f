-- One site's samples per hour over the days up to a day (the site card's throughput). The
-- sample table is ordered by (site, time), so this reads one site's rows only.
-- grain: day × hour; params: scope String, site_id UInt32, day_from Date, day Date
SELECT toDate(sampled_at, 'Asia/Shanghai') AS day, toHour(sampled_at, 'Asia/Shanghai') AS hour,
       count() AS samples
FROM epi.sample
WHERE site_id = {site_id:UInt32}
  AND sampled_at >= toDateTime({day_from:Date}, 'Asia/Shanghai')
  AND sampled_at < toDateTime({day:Date} + 1, 'Asia/Shanghai')
  AND startsWith(community_code, {scope:String})
GROUP BY day, hour
ORDER BY day, hour
