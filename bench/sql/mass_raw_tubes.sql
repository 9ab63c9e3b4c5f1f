-- Raw samples of a period with their lab, tube and result time, for the naive pandas side of the
-- lab backlog (only the columns it needs, so tens of millions of rows fit in memory at `full`).
SELECT lab_id, tube_id, sampled_at, result_at
FROM epi.sample
WHERE sampled_at >= toDateTime({day_from:Date}, 'Asia/Shanghai') AND sampled_at < toDateTime({day_to:Date} + 1, 'Asia/Shanghai')
