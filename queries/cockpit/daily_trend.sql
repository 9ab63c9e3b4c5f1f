-- Daily series for the trend charts of one unit: new cases by kind, people under control at
-- 24:00, samples taken, appeals received. Long format: day, metric, value.
-- grain: day × metric; params: scope, unit, date_from Date, as_of Date
SELECT day, metric, value FROM
(
    SELECT day, kind AS metric, toInt64(sum(cases)) AS value
    FROM epi.agg_cases_daily
    WHERE startsWith(community_code, {scope:String}) AND startsWith(community_code, {unit:String})
      AND day BETWEEN {date_from:Date} AND {as_of:Date}
    GROUP BY day, kind

    UNION ALL

    SELECT d.day, 'under_control', toInt64(sumIf(c.delta, c.day <= d.day))
    FROM (SELECT arrayJoin(arrayMap(i -> {date_from:Date} + i, range(toUInt32(dateDiff('day', {date_from:Date}, {as_of:Date}) + 1)))) AS day) AS d
    CROSS JOIN
    (
        SELECT day, sum(delta) AS delta FROM epi.agg_control_daily
        WHERE startsWith(community_code, {scope:String}) AND startsWith(community_code, {unit:String})
          AND day <= {as_of:Date}
        GROUP BY day
    ) AS c
    GROUP BY d.day

    UNION ALL

    SELECT toDate(sampled_hour, 'Asia/Shanghai') AS day, 'samples_taken', toInt64(sum(samples))
    FROM epi.agg_samples_hourly
    WHERE startsWith(community_code, {scope:String}) AND startsWith(community_code, {unit:String})
      AND sampled_hour >= toDateTime({date_from:Date}, 'Asia/Shanghai')
      AND sampled_hour < toDateTime({as_of:Date} + 1, 'Asia/Shanghai')
    GROUP BY day

    UNION ALL

    SELECT received_day, 'appeals_received', toInt64(sum(appeals))
    FROM epi.agg_appeals_daily
    WHERE startsWith(community_code, {scope:String}) AND startsWith(community_code, {unit:String})
      AND received_day BETWEEN {date_from:Date} AND {as_of:Date}
    GROUP BY received_day
)
ORDER BY day, metric
