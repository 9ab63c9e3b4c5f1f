-- Raw sample rows of a period, for the naive pandas equivalents.
SELECT site_id, person_id, toString(purpose) AS purpose, round_id, sampled_at, received_at, result_at,
       toString(result) AS result, toString(community_code) AS community_code, lab_id, tube_id, pool_size
FROM epi.sample
WHERE sampled_at >= toDateTime({day_from:Date}, 'Asia/Shanghai') AND sampled_at < toDateTime({day_to:Date} + 1, 'Asia/Shanghai')
