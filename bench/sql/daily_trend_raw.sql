-- Naive baseline for cockpit/daily_trend: every series counted from the raw rows (cases,
-- control episodes tested against each day's 24:00, samples, appeals), no aggregates.
SELECT day, metric, value FROM
(
    SELECT toDate(confirmed_at, 'Asia/Shanghai') AS day, toString(kind) AS metric, toInt64(count()) AS value
    FROM epi.case_record
    WHERE startsWith(community_code, {scope:String}) AND startsWith(community_code, {unit:String})
      AND toDate(confirmed_at, 'Asia/Shanghai') BETWEEN {date_from:Date} AND {as_of:Date}
    GROUP BY day, metric

    UNION ALL

    SELECT d.day AS day, 'under_control' AS metric,
           toInt64(countIf(i.s < toDateTime(d.day + 1, 'Asia/Shanghai') AND i.e >= toDateTime(d.day + 1, 'Asia/Shanghai')))
    FROM (SELECT arrayJoin(arrayMap(n -> {date_from:Date} + n,
                                    range(toUInt32(dateDiff('day', {date_from:Date}, {as_of:Date}) + 1)))) AS day) AS d
    CROSS JOIN
    (
        SELECT community_code, quarantine_start AS s, quarantine_end AS e FROM epi.control_episode
        UNION ALL
        SELECT community_code, quarantine_end, assumeNotNull(monitoring_end)
        FROM epi.control_episode WHERE kind = 'close_contact' AND monitoring_end IS NOT NULL
    ) AS i
    WHERE startsWith(i.community_code, {scope:String}) AND startsWith(i.community_code, {unit:String})
    GROUP BY d.day

    UNION ALL

    SELECT toDate(sampled_at, 'Asia/Shanghai') AS day, 'samples_taken', toInt64(count())
    FROM epi.sample
    WHERE startsWith(community_code, {scope:String}) AND startsWith(community_code, {unit:String})
      AND toDate(sampled_at, 'Asia/Shanghai') BETWEEN {date_from:Date} AND {as_of:Date}
    GROUP BY day

    UNION ALL

    SELECT toDate(received_at, 'Asia/Shanghai') AS day, 'appeals_received', toInt64(count())
    FROM epi.appeal
    WHERE startsWith(community_code, {scope:String}) AND startsWith(community_code, {unit:String})
      AND toDate(received_at, 'Asia/Shanghai') BETWEEN {date_from:Date} AND {as_of:Date}
    GROUP BY day
)
ORDER BY day, metric
