-- Arrivals (samples taken) per site, day and hour over a period: the history the near-term
-- forecast and its backtest use. Only site-hours with arrivals are returned. From the site-hour
-- pre-aggregate (0020); a site-hour's rows not yet merged are summed here.
-- grain: site × day × hour; params: scope String, unit String, day_from Date, day Date
SELECT site_id, toDate(sampled_hour, 'Asia/Shanghai') AS day, toHour(sampled_hour, 'Asia/Shanghai') AS hour,
       sum(arrivals) AS arrivals
FROM epi.agg_site_arrivals_hourly
WHERE sampled_hour >= toDateTime({day_from:Date}, 'Asia/Shanghai')
  AND sampled_hour < toDateTime({day:Date} + 1, 'Asia/Shanghai')
  AND site_id IN (SELECT site_id FROM epi.sampling_site
                  WHERE startsWith(community_code, {scope:String}) AND startsWith(community_code, {unit:String}))
GROUP BY site_id, day, hour
ORDER BY site_id, day, hour
