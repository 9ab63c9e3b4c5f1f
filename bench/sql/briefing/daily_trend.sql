-- Naive, full shape of cockpit/daily_trend: new cases, people under control at 24:00, samples
-- taken and appeals received per day, each from its raw table.
SELECT day, metric, value FROM
(
    SELECT toDate(confirmed_at, 'Asia/Shanghai') AS day, toString(kind) AS metric, toInt64(count()) AS value
    FROM epi.case_record
    WHERE startsWith(community_code, {scope:String}) AND startsWith(community_code, {unit:String})
      AND toDate(confirmed_at, 'Asia/Shanghai') BETWEEN {date_from:Date} AND {as_of:Date}
    GROUP BY day, metric

    UNION ALL

    SELECT d.day, 'under_control', toInt64(countIf(e.s <= d.day AND e.e > d.day))
    FROM (SELECT arrayJoin(arrayMap(i -> {date_from:Date} + i, range(toUInt32(dateDiff('day', {date_from:Date}, {as_of:Date}) + 1)))) AS day) AS d
    CROSS JOIN
    (
        SELECT toDate(quarantine_start, 'Asia/Shanghai') AS s, toDate(quarantine_end, 'Asia/Shanghai') AS e
        FROM epi.control_episode
        WHERE startsWith(community_code, {scope:String}) AND startsWith(community_code, {unit:String})
        UNION ALL
        SELECT toDate(quarantine_end, 'Asia/Shanghai'), toDate(assumeNotNull(monitoring_end), 'Asia/Shanghai')
        FROM epi.control_episode
        WHERE kind = 'close_contact' AND monitoring_end IS NOT NULL
          AND startsWith(community_code, {scope:String}) AND startsWith(community_code, {unit:String})
    ) AS e
    GROUP BY d.day

    UNION ALL

    SELECT toDate(sampled_at, 'Asia/Shanghai') AS day, 'samples_taken', toInt64(count())
    FROM epi.sample
    WHERE startsWith(community_code, {scope:String}) AND startsWith(community_code, {unit:String})
      AND sampled_at >= toDateTime({date_from:Date}, 'Asia/Shanghai')
      AND sampled_at < toDateTime({as_of:Date} + 1, 'Asia/Shanghai')
    GROUP BY day

    UNION ALL

    SELECT toDate(received_at, 'Asia/Shanghai') AS day, 'appeals_received', toInt64(count())
    FROM epi.appeal
    WHERE startsWith(community_code, {scope:String}) AND startsWith(community_code, {unit:String})
      AND toDate(received_at, 'Asia/Shanghai') BETWEEN {date_from:Date} AND {as_of:Date}
    GROUP BY day
)
ORDER BY day, metric
