-- Site leads' status marks. On mass-testing days every open site reports every two hours;
-- other days: two quiet reports, temporary and mobile sites closed. The queue is the site's
-- own: the people its samples say arrived hour by hour, served at the site's capacity scaled
-- to what one generated site stands for (capacity_per_hour × capacity_share, in generated
-- people: the share of the census generated, and at a scale with fewer sites per community
-- than the city the real sites each one stands for), the backlog carried from hour to hour
-- (none is served before the site opens). A report at h:mm gives the backlog then and the
-- wait it means, backlog ÷ capacity per minute, plus a few minutes at the desk: the same
-- sites overload at every scale, and a site whose arrivals stay under its capacity has no queue.
INSERT INTO epi.site_status_report
SELECT
    site_id, ts,
    multiIf(closed, 'closed', queue >= {congested_minutes:UInt16}, 'congested',
            queue >= {busy_minutes:UInt16}, 'busy', 'clear') AS state,
    toUInt16(if(closed, 0, queue)) AS queue_minutes,
    concat('站长', toString(site_id)) AS reported_by,
    'mini_program', site_community,
    'HEALTH', 'HEALTH-14', {batch_id:String}, cityHash64(site_id, ts) % 1000000000000
FROM
(
    SELECT
        s.site_id AS site_id, s.community_code AS site_community, d.day AS day, h,
        cityHash64({seed:UInt64}, 'rep', s.site_id, d.day, h) % 40 AS minute,
        toDateTime(d.day, 'Asia/Shanghai') + toIntervalHour(h) + toIntervalMinute(minute) AS ts,
        d.mi > 0 AND (empty(d.districts) OR has(d.districts, substring(s.community_code, 1, 6))) AS mass,
        NOT mass AND s.kind != 'fixed' AS closed,
        s.capacity_per_hour * {capacity_share:Float64} AS per_hour,
        -- arrivals less service in each hour 0…23 of the day; the backlog at the end of each hour
        arrayMap(x -> ifNull(a.arrivals[x + 1], 0) - if(x >= s.open_hour AND x < s.close_hour, per_hour, 0),
                 range(24)) AS net,
        arrayCumSumNonNegative(arrayConcat([0.], net)) AS backlog,
        greatest(0, backlog[h + 1] + net[h + 1] * minute / 60) AS waiting,
        toUInt32(waiting / per_hour * 60 + cityHash64({seed:UInt64}, 'jit', s.site_id, d.day, h) % 9) AS queue
    FROM epi.sampling_site AS s
    -- sites of communities with residents report (the others never open a queue to report)
    INNER JOIN (SELECT DISTINCT community_code FROM epi.seed_routine) AS pop ON pop.community_code = s.community_code
    CROSS JOIN
    (
        SELECT {story_start:Date} + number AS day,
               indexOf({mass_days:Array(Date)}, day) AS mi,
               if(mi = 0, [], {mass_day_districts:Array(Array(String))}[mi]) AS districts
        FROM numbers(39)
    ) AS d
    LEFT JOIN
    (
        SELECT site_id, day, arrayMap(x -> toFloat64(countEqual(hours, x)), range(24)) AS arrivals
        FROM
        (
            SELECT site_id, toDate(sampled_at, 'Asia/Shanghai') AS day, groupArray(toHour(sampled_at)) AS hours
            FROM epi.sample WHERE site_id > 0
            GROUP BY site_id, day
        )
    ) AS a ON a.site_id = s.site_id AND a.day = d.day
    ARRAY JOIN if(d.mi > 0, [8, 10, 12, 14, 16, 18, 20], [9, 15]) AS h
    WHERE h >= s.open_hour AND h < s.close_hour
)
SETTINGS join_use_nulls = 0;
