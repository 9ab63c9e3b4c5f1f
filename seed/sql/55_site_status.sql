-- Site leads' status marks. On mass-testing days every open site reports every two hours;
-- the queue follows the expected arrivals (the community's real population, its share of
-- each hour) against the site's capacity, so the same sites overload at every scale. Other
-- days: two quiet reports, temporary and mobile sites closed.
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
        toDateTime(d.day, 'Asia/Shanghai') + toIntervalHour(h) + toIntervalMinute(cityHash64({seed:UInt64}, 'rep', s.site_id, d.day, h) % 40) AS ts,
        d.mi > 0 AND (empty(d.districts) OR has(d.districts, substring(s.community_code, 1, 6))) AS mass,
        NOT mass AND s.kind != 'fixed' AS closed,
        pop.people / {fraction:Float64} / pop.sites * 0.88 / d.days AS expected_day,
        expected_day * (countEqual(hours, h) + countEqual(hours, h + 1)) / length(hours) / 2 AS expected_hour,
        if(mass,
           greatest(0, (expected_hour - s.capacity_per_hour) / s.capacity_per_hour * 60),
           0) + cityHash64({seed:UInt64}, 'jit', s.site_id, d.day, h) % 9 AS queue_f,
        toUInt32(queue_f) AS queue,
        [7, 7, 8, 8, 8, 8, 9, 9, 9, 9, 9, 10, 10, 10, 10, 11, 11, 11, 12, 12, 13, 13, 14, 14, 15, 15,
         16, 16, 17, 17, 18, 18, 18, 19, 19, 19, 19, 20, 20, 20, 21, 21] AS hours
    FROM epi.sampling_site AS s
    INNER JOIN
    (
        SELECT r.community_code, count() AS people, any(n.sites) AS sites
        FROM epi.seed_routine AS r
        INNER JOIN (SELECT community_code, count() AS sites FROM epi.sampling_site GROUP BY community_code) AS n
            ON n.community_code = r.community_code
        GROUP BY r.community_code
    ) AS pop ON pop.community_code = s.community_code
    CROSS JOIN
    (
        SELECT {story_start:Date} + number AS day,
               indexOf({mass_days:Array(Date)}, day) AS mi,
               if(mi = 0, toUInt8(1), {mass_day_len:Array(UInt8)}[mi]) AS days,
               if(mi = 0, [], {mass_day_districts:Array(Array(String))}[mi]) AS districts
        FROM numbers(39)
    ) AS d
    ARRAY JOIN if(d.mi > 0, [8, 10, 12, 14, 16, 18, 20], [9, 15]) AS h
    WHERE h >= s.open_hour AND h < s.close_hour
);
