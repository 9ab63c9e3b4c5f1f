-- Raw samples of a period that are positive in a pool or resamples, for the naive pandas side of
-- the positive pools (the filter is the rows' own values; the pairing is done in pandas).
SELECT person_id, round_id, toString(purpose) AS purpose, pool_size, toString(result) AS result, sampled_at, result_at
FROM epi.sample
WHERE sampled_at >= toDateTime({day_from:Date}, 'Asia/Shanghai') AND sampled_at < toDateTime({day_to:Date} + 1, 'Asia/Shanghai')
  AND ((pool_size > 1 AND result = 'positive') OR purpose = 'resample')
