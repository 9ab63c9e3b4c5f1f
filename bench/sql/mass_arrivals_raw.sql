-- Naive side of queries/mass/arrivals_by_site_hour.sql: the same figures counted from the raw
-- samples of the period (the sample table in (site, time) order), without the site-hour aggregate.
-- Arrivals (samples taken) per site, day and hour over a period: the history the near-term
-- forecast and its backtest use. Only site-hours with arrivals are returned.
-- grain: site × day × hour; params: scope String, unit String, day_from Date, day Date
SELECT site_id, toDate(sampled_at, 'Asia/Shanghai') AS day, toHour(sampled_at, 'Asia/Shanghai') AS hour,
       count() AS arrivals
FROM epi.sample
WHERE site_id > 0
  AND sampled_at >= toDateTime({day_from:Date}, 'Asia/Shanghai') AND sampled_at < toDateTime({day:Date} + 1, 'Asia/Shanghai')
  AND site_id IN (SELECT site_id FROM epi.sampling_site
                  WHERE startsWith(community_code, {scope:String}) AND startsWith(community_code, {unit:String}))
GROUP BY site_id, day, hour
ORDER BY site_id, day, hour
