-- Raw sample times of one site over a period, for the naive pandas side of the site card.
SELECT sampled_at
FROM epi.sample
WHERE site_id = {site_id:UInt32}
  AND sampled_at >= toDateTime({day_from:Date}, 'Asia/Shanghai') AND sampled_at < toDateTime({day_to:Date} + 1, 'Asia/Shanghai')
