-- Citizen appeals (12345 and its channels), 2月10日 to the last day of data. Each district
-- receives about population × fraction × 0.0002 a day (fewer at weekends); the volume surges
-- ×3–4 while the district holds an active high or medium risk zone — half of those appeals
-- then come from the zones' communities and are mostly about supplies and health codes — and
-- doubles on the mass-testing days of the district (sampling-site questions).
-- Each appeal runs intake → dispatch → handling → reply → closure → rating; a step that would
-- fall after the end of data is left open together with every later step, and about 3% are
-- stuck before closure so that there are overdue appeals. Emergencies are handled within 2 h.
INSERT INTO epi.appeal
SELECT
    appeal_no, channel_name, type_name, topic_name, toUInt8(emergency), a_community, received,
    if(t_dispatched <= data_end, t_dispatched, NULL) AS a_dispatched,
    if(t_handled <= data_end AND stuck_stage != 1, t_handled, NULL) AS a_handled,
    if(t_replied <= data_end AND stuck_stage NOT IN (1, 2), t_replied, NULL) AS a_replied,
    if(t_closed <= data_end AND stuck_stage = 0, t_closed, NULL) AS a_closed,
    if(a_closed IS NOT NULL AND will_rate AND t_rated <= data_end, t_rated, NULL) AS a_rated,
    if(a_rated IS NULL, NULL, toUInt8(stars)) AS a_rating,
    'HOTLINE' AS src_department,
    ['HOTLINE-01', 'HOTLINE-02', 'HOTLINE-04', 'HOTLINE-03'][ci] AS src_category,
    {batch_id:String} AS batch_id,
    appeal_no AS source_row
FROM
(
    SELECT
        *,
        toUInt64(row_number() OVER (ORDER BY received, dd, di, n)) AS appeal_no,
        ['hotline', 'web', 'wechat', 'mayor_mailbox'][ci] AS channel_name,
        ['consultation', 'help', 'complaint', 'report', 'suggestion'][ti] AS type_name,
        topics[tpi].1 AS topic_name,
        -- minutes from intake to each step
        if(emergency, 2 + cityHash64(k, 'disp') % 11, 10 + cityHash64(k, 'disp') % 171) AS m_disp,
        if(emergency, 15 + cityHash64(k, 'hand') % 86,
           least(handle_range.2,
                 toUInt32(handle_range.1 + (handle_range.2 - handle_range.1)
                          * pow((cityHash64(k, 'hand') % 10000) / 10000., 2) * if(surge, 1.5, 1.0)))) AS m_hand,
        30 + cityHash64(k, 'reply') % 211 AS m_reply,
        60 + cityHash64(k, 'close') % 661 AS m_close,
        10 + cityHash64(k, 'rate') % 1431 AS m_rate,
        received + toIntervalMinute(m_disp) AS t_dispatched,
        t_dispatched + toIntervalMinute(m_hand) AS t_handled,
        t_handled + toIntervalMinute(m_reply) AS t_replied,
        t_replied + toIntervalMinute(m_close) AS t_closed,
        t_closed + toIntervalMinute(m_rate) AS t_rated,
        -- 3% stuck: 1 = never handled, 2 = handled but no reply, 3 = replied but not closed
        if(NOT emergency AND cityHash64(k, 'stuck') % 1000 < 30, 1 + cityHash64(k, 'stage') % 3, 0) AS stuck_stage,
        cityHash64(k, 'rated') % 100 < 60 AS will_rate,
        arrayFirstIndex(x -> x > cityHash64(k, 'stars') % 100,
                        arrayCumSum(if(ti = 3, [12, 12, 22, 28, 26],
                                       if(m_hand > 3 * 1440, [6, 8, 18, 34, 34], [2, 3, 8, 32, 55])))) AS stars,
        toDateTime({data_end:String}, 'Asia/Shanghai') AS data_end
    FROM
    (
        SELECT
            dd, di, n, surge, topics,
            -- one key per appeal; every draw below derives from it
            cityHash64({seed:UInt64}, 'appeal', dd, di, n) AS k,
            -- hour of intake: mostly office hours and evenings
            [1, 1, 0, 0, 0, 1, 2, 5, 9, 11, 11, 10, 8, 9, 10, 10, 9, 8, 7, 7, 6, 5, 3, 2] AS hw,
            toDateTime(day, 'Asia/Shanghai')
                + toIntervalSecond((arrayFirstIndex(x -> x > cityHash64(k, 'hour') % arraySum(hw), arrayCumSum(hw)) - 1) * 3600
                                   + cityHash64(k, 'second') % 3600) AS received,
            -- topic by situation: normal / district under a zone / mass-testing day
            arrayMap(t -> if(surge, t.3, if(mass, t.4, t.2)), topics) AS tw,
            arrayFirstIndex(x -> x > cityHash64(k, 'topic') % arraySum(tw), arrayCumSum(tw)) AS tpi,
            arrayFirstIndex(x -> x > cityHash64(k, 'type') % 100, arrayCumSum(topics[tpi].5)) AS ti,
            if(ti = 2, cityHash64(k, 'emergency') % 1000 < 80, cityHash64(k, 'emergency') % 1000 < 5) AS emergency,
            if(emergency, 1, arrayFirstIndex(x -> x > cityHash64(k, 'channel') % 100, arrayCumSum([55, 16, 22, 7]))) AS ci,
            -- handling time range in minutes by type: consultation 2 h–2 d, help 6 h–6 d,
            -- complaint 8 h–6 d, report 4 h–4 d, suggestion 4 h–5 d
            [(120, 2880), (360, 8640), (480, 8640), (240, 5760), (240, 7200)][ti] AS handle_range,
            if(surge AND notEmpty(zcodes) AND cityHash64(k, 'in_zone') % 2 = 0,
               zcodes[cityHash64(k, 'zone_community') % length(zcodes) + 1],
               codes[cityHash64(k, 'community') % length(codes) + 1]) AS a_community
        FROM
        (
            SELECT
                dy.dd, dy.day, d.di, cm.codes, z.zcodes,
                notEmpty(z.zcodes) AS surge,
                has({mass_days:Array(Date)}, dy.day)
                    AND (empty({mass_day_districts:Array(Array(String))}[indexOf({mass_days:Array(Date)}, dy.day)])
                         OR has({mass_day_districts:Array(Array(String))}[indexOf({mass_days:Array(Date)}, dy.day)], d.code)) AS mass,
                d.population_2020 * {fraction:Float64} * 0.0002
                    * if(toDayOfWeek(dy.day) >= 6, 0.8, 1.0)
                    * (0.85 + (cityHash64({seed:UInt64}, 'appeal_noise', dy.dd, d.code) % 1000) / 1000. * 0.3)
                    * if(surge, 3 + (cityHash64({seed:UInt64}, 'appeal_surge', dy.dd, d.code) % 1000) / 1000., 1.0)
                    * if(mass, 2, 1) AS expected,
                toUInt32(floor(expected + (cityHash64({seed:UInt64}, 'appeal_round', dy.dd, d.code) % 10000) / 10000.)) AS cnt,
                -- (topic, weight normal, weight under a zone, weight on a mass-testing day,
                --  type shares consultation / help / complaint / report / suggestion)
                [('核酸采样点时间地点', 20, 10, 45, [70, 5, 15, 2, 8]),
                 ('健康码转码申诉', 10, 24, 12, [35, 40, 20, 0, 5]),
                 ('隔离政策咨询', 18, 10, 8, [85, 5, 5, 0, 5]),
                 ('就医购药', 8, 12, 5, [30, 60, 8, 0, 2]),
                 ('封控区生活物资', 2, 24, 3, [15, 65, 15, 0, 5]),
                 ('出行证明', 9, 5, 5, [75, 15, 5, 0, 5]),
                 ('集中隔离点', 6, 5, 4, [45, 20, 25, 0, 10]),
                 ('心理援助', 3, 4, 2, [30, 65, 0, 0, 5]),
                 ('核酸检测结果查询', 8, 3, 12, [80, 10, 10, 0, 0]),
                 ('疫苗接种', 7, 1, 1, [80, 5, 5, 0, 10]),
                 ('违规聚集举报', 5, 1, 2, [0, 0, 0, 100, 0]),
                 ('返蓉人员报备', 4, 1, 1, [60, 0, 0, 35, 5])] AS topics
            FROM
            (
                SELECT number AS dd, {story_start:Date} + number AS day
                FROM numbers(toUInt64(dateDiff('day', {story_start:Date},
                                               toDate(toDateTime({data_end:String}, 'Asia/Shanghai'), 'Asia/Shanghai')) + 1))
            ) AS dy
            CROSS JOIN
            (
                SELECT code, population_2020, toUInt32(indexOf({d_codes:Array(String)}, code)) AS di
                FROM epi.district
            ) AS d
            INNER JOIN
            (
                SELECT district_code, arraySort(groupArray(code)) AS codes FROM epi.community GROUP BY district_code
            ) AS cm ON cm.district_code = d.code
            LEFT JOIN
            (
                -- communities of the high and medium zones active on each day, by district
                SELECT {story_start:Date} + zn.number AS z_day, rz.district_code AS z_district,
                       arraySort(groupUniqArray(rz.community_code)) AS zcodes
                FROM epi.risk_zone AS rz
                CROSS JOIN numbers(60) AS zn
                WHERE rz.tier IN ('high', 'medium')
                  AND rz.start_at < toDateTime(z_day + 1, 'Asia/Shanghai')
                  AND ifNull(rz.lifted_at, toDateTime({data_end:String}, 'Asia/Shanghai')) >= toDateTime(z_day, 'Asia/Shanghai')
                GROUP BY z_day, z_district
            ) AS z ON z.z_day = dy.day AND z.z_district = d.code
        )
        ARRAY JOIN range(cnt) AS n
    )
);
