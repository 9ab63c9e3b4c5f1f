-- Samples taken on the as-of day, and results still pending at 24:00 past {pending_a} and
-- {pending_b} hours (whole hours, so the hourly pre-aggregate is exact); with the day before.
-- grain: unit; params: scope, unit, grain, as_of, pending_a UInt8, pending_b UInt8
SELECT
    substring(community_code, 1, {grain:UInt8}) AS unit_code,
    sumIf(samples, toDate(sampled_hour, 'Asia/Shanghai') = {as_of:Date}) AS taken,
    sumIf(samples, toDate(sampled_hour, 'Asia/Shanghai') = {as_of:Date} - 1) AS taken_prev,
    sumIf(samples, result_day > {as_of:Date}
        AND sampled_hour < toDateTime({as_of:Date} + 1, 'Asia/Shanghai') - toIntervalHour({pending_a:UInt8})) AS pending_a,
    sumIf(samples, result_day > {as_of:Date}
        AND sampled_hour < toDateTime({as_of:Date} + 1, 'Asia/Shanghai') - toIntervalHour({pending_b:UInt8})) AS pending_b,
    sumIf(samples, result_day > {as_of:Date} - 1
        AND sampled_hour < toDateTime({as_of:Date}, 'Asia/Shanghai') - toIntervalHour({pending_a:UInt8})) AS pending_a_prev,
    sumIf(samples, result_day > {as_of:Date} - 1
        AND sampled_hour < toDateTime({as_of:Date}, 'Asia/Shanghai') - toIntervalHour({pending_b:UInt8})) AS pending_b_prev
FROM epi.agg_samples_hourly
WHERE startsWith(community_code, {scope:String}) AND startsWith(community_code, {unit:String})
  AND result_day >= {as_of:Date} - 1
  AND sampled_hour < toDateTime({as_of:Date} + 1, 'Asia/Shanghai')
GROUP BY unit_code
ORDER BY unit_code
