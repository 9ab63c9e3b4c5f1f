-- Samples taken on the as-of day, and tubes still without a result at 24:00 that hold a sample
-- taken more than {pending_a} / {pending_b} hours before 24:00; with the day before. A result
-- counts only when it was out by 24:00 (a result day after the day is no result yet). Tubes,
-- not sample records: pooled samples share a tube (agg_tubes_hourly keeps distinct tubes).
-- Whole hours, so the hourly pre-aggregates are exact. Only the tube rows some count can use are
-- read: a result still due on the day before or later, a sample older than the shorter wait.
-- grain: unit; params: scope, unit, grain, as_of, pending_a UInt8, pending_b UInt8
SELECT
    unit_code,
    sum(taken) AS taken, sum(taken_prev) AS taken_prev,
    sum(pending_a) AS pending_a, sum(pending_b) AS pending_b,
    sum(pending_a_prev) AS pending_a_prev, sum(pending_b_prev) AS pending_b_prev
FROM
(
    SELECT
        substring(community_code, 1, {grain:UInt8}) AS unit_code,
        sumIf(samples, toDate(sampled_hour, 'Asia/Shanghai') = {as_of:Date}) AS taken,
        sumIf(samples, toDate(sampled_hour, 'Asia/Shanghai') = {as_of:Date} - 1) AS taken_prev,
        toUInt64(0) AS pending_a, toUInt64(0) AS pending_b, toUInt64(0) AS pending_a_prev, toUInt64(0) AS pending_b_prev
    FROM epi.agg_samples_hourly
    WHERE startsWith(community_code, {scope:String}) AND startsWith(community_code, {unit:String})
      AND sampled_hour >= toDateTime({as_of:Date} - 1, 'Asia/Shanghai')
      AND sampled_hour < toDateTime({as_of:Date} + 1, 'Asia/Shanghai')
    GROUP BY unit_code

    UNION ALL

    SELECT
        substring(community_code, 1, {grain:UInt8}) AS unit_code,
        toUInt64(0), toUInt64(0),
        uniqExactMergeIf(tubes, result_day > {as_of:Date}
            AND sampled_hour < toDateTime({as_of:Date} + 1, 'Asia/Shanghai') - toIntervalHour({pending_a:UInt8})),
        uniqExactMergeIf(tubes, result_day > {as_of:Date}
            AND sampled_hour < toDateTime({as_of:Date} + 1, 'Asia/Shanghai') - toIntervalHour({pending_b:UInt8})),
        uniqExactMergeIf(tubes, result_day > {as_of:Date} - 1
            AND sampled_hour < toDateTime({as_of:Date}, 'Asia/Shanghai') - toIntervalHour({pending_a:UInt8})),
        uniqExactMergeIf(tubes, result_day > {as_of:Date} - 1
            AND sampled_hour < toDateTime({as_of:Date}, 'Asia/Shanghai') - toIntervalHour({pending_b:UInt8}))
    FROM epi.agg_tubes_hourly
    WHERE startsWith(community_code, {scope:String}) AND startsWith(community_code, {unit:String})
      AND result_day > {as_of:Date} - 1
      AND sampled_hour < toDateTime({as_of:Date} + 1, 'Asia/Shanghai') - toIntervalHour(least({pending_a:UInt8}, {pending_b:UInt8}))
    GROUP BY unit_code
)
GROUP BY unit_code
ORDER BY unit_code
