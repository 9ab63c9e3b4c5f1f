-- The 19 screening topics of the February round. Topic 1 is the building of the index cluster
-- (visitors 2月13日 until the topic was opened on 2月20日 06:00). Then places where cases
-- stayed in their infectious window (at most 11, one topic per place, opened some hours
-- after the case was confirmed), and flights, trains, airport arrivals and coach stations
-- whose passenger lists came from the transport departments, in priority order, filling the
-- round up to 19. Topic numbers follow the order of opening.
INSERT INTO epi.screening_topic
SELECT
    toUInt16(row_number() OVER (ORDER BY t_place = 1 DESC, t_created, t_name)) AS topic_id,
    t_name, t_place, t_start, t_end, t_created, t_depts
FROM
(
    SELECT concat({cluster:String}, {building:String}) AS t_name, toUInt32(1) AS t_place,
           toDateTime('2022-02-13 00:00:00', 'Asia/Shanghai') AS t_start,
           toDateTime('2022-02-20 06:00:00', 'Asia/Shanghai') AS t_end,
           toDateTime('2022-02-20 06:00:00', 'Asia/Shanghai') AS t_created,
           ['PSB', 'BIGDATA', 'CDC', 'HEALTH'] AS t_depts

    UNION ALL

    -- places where a case stayed: the window covers the days of the case's visits
    SELECT
        concat(pl.name, toString(toMonth(v.d1)), '月', toString(toDayOfMonth(v.d1)), '日',
               if(v.d2 > v.d1, concat('至', toString(toMonth(v.d2)), '月', toString(toDayOfMonth(v.d2)), '日'), '')),
        v.place_id,
        toDateTime(v.d1, 'Asia/Shanghai'),
        least(toDateTime(v.d2, 'Asia/Shanghai') + toIntervalSecond(86399), v.opened),
        v.opened,
        -- the place-code scans (BIGDATA) plus one to three of the other sources
        arrayConcat(['BIGDATA'], arraySlice(arraySort(x -> cityHash64({seed:UInt64}, 'topic_dept', v.place_id, x),
                                                       ['PSB', 'CDC', 'HEALTH']),
                                             1, 1 + cityHash64({seed:UInt64}, 'topic_ndept', v.place_id) % 3))
    FROM
    (
        SELECT place_id, d1, d2, opened,
               row_number() OVER (ORDER BY cityHash64({seed:UInt64}, 'topic_place', place_id)) AS prank
        FROM
        (
            SELECT cv.c_place AS place_id,
                   argMin(cv.c_d1, cv.c_conf) AS d1, argMin(cv.c_d2, cv.c_conf) AS d2,
                   greatest(min(cv.c_conf) + toIntervalMinute(240 + cityHash64({seed:UInt64}, 'topic_open', cv.c_place) % 720),
                            toDateTime('2022-02-20 08:00:00', 'Asia/Shanghai')) AS opened
            FROM
            (
                SELECT tp.place_id AS c_place, c.case_id, min(toDate(tp.ts, 'Asia/Shanghai')) AS c_d1,
                       max(toDate(tp.ts, 'Asia/Shanghai')) AS c_d2, any(c.confirmed_at) AS c_conf
                FROM epi.trajectory_point AS tp
                INNER JOIN epi.case_record AS c ON c.person_id = tp.person_id
                WHERE tp.place_id > 1
                  AND tp.ts >= ifNull(toDateTime(c.onset_date, 'Asia/Shanghai'), c.sampled_at) - toIntervalDay({window_days:UInt8})
                  AND tp.ts <= c.isolated_at
                GROUP BY tp.place_id, c.case_id
            ) AS cv
            GROUP BY cv.c_place
            HAVING opened <= toDateTime('2022-03-10 23:59:59', 'Asia/Shanghai')
        )
    ) AS v
    INNER JOIN epi.place AS pl ON pl.place_id = v.place_id
    WHERE v.prank <= 11

    UNION ALL

    -- passenger lists: (name, first day of the window, opened, departments), in priority order
    SELECT tr.1, toUInt32(0),
           toDateTime(tr.2, 'Asia/Shanghai'), toDateTime(tr.2, 'Asia/Shanghai') + toIntervalSecond(86399),
           toDateTime(tr.3, 'Asia/Shanghai'), tr.4
    FROM
    (
        SELECT tr, rn
        FROM
        (
            SELECT
            [('2月16日CA4194航班', '2022-02-16', '2022-02-21 09:00:00', ['AIRPORT', 'PSB', 'BIGDATA']),
             ('双流机场T2到达2月15日', '2022-02-15', '2022-02-20 15:00:00', ['AIRPORT', 'PSB', 'BIGDATA', 'CDC']),
             ('2月18日G8705次列车', '2022-02-18', '2022-02-22 11:00:00', ['TRANSPORT', 'PSB', 'CDC']),
             ('2月25日MU5086入境航班', '2022-02-25', '2022-02-27 10:00:00', ['CUSTOMS', 'BORDER', 'AIRPORT', 'HEALTH']),
             ('3月2日D1956次列车', '2022-03-02', '2022-03-04 16:00:00', ['TRANSPORT', 'PSB']),
             ('天府机场T1到达3月5日', '2022-03-05', '2022-03-07 10:00:00', ['AIRPORT', 'BIGDATA', 'CDC']),
             ('成都东客运站2月26日', '2022-02-26', '2022-02-28 09:00:00', ['TRANSPORT', 'PSB', 'BIGDATA']),
             ('3月6日3U8702入境航班', '2022-03-06', '2022-03-08 14:00:00', ['CUSTOMS', 'BORDER', 'AIRPORT']),
             ('2月23日K1364次列车', '2022-02-23', '2022-02-25 20:00:00', ['TRANSPORT', 'PSB', 'HEALTH']),
             ('3月8日CZ3455航班', '2022-03-08', '2022-03-10 09:00:00', ['AIRPORT', 'PSB', 'BIGDATA']),
             ('2月19日G2207次列车', '2022-02-19', '2022-02-23 10:00:00', ['TRANSPORT', 'CDC']),
             ('成都北客运站3月3日', '2022-03-03', '2022-03-05 11:00:00', ['TRANSPORT', 'PSB', 'HEALTH'])] AS lists
        )
        ARRAY JOIN lists AS tr, arrayEnumerate(lists) AS rn
    )
    WHERE rn <= 18 - (
        SELECT least(11, count())
        FROM
        (
            SELECT tp.place_id, min(c.confirmed_at) AS conf
            FROM epi.trajectory_point AS tp
            INNER JOIN epi.case_record AS c ON c.person_id = tp.person_id
            WHERE tp.place_id > 1
              AND tp.ts >= ifNull(toDateTime(c.onset_date, 'Asia/Shanghai'), c.sampled_at) - toIntervalDay({window_days:UInt8})
              AND tp.ts <= c.isolated_at
            GROUP BY tp.place_id
            HAVING conf + toIntervalMinute(240 + cityHash64({seed:UInt64}, 'topic_open', tp.place_id) % 720)
                   <= toDateTime('2022-03-10 23:59:59', 'Asia/Shanghai')
        )
    )
);

-- Working table: the risk persons of each topic — visitors of the topic's place in its window
-- (from trajectories), or a sample of residents on each passenger list: about 0.01% per flight
-- or inbound flight, 0.02% per train or coach station, 0.05% per airport arrival hall.
CREATE TABLE IF NOT EXISTS epi.seed_risk_person ENGINE = MergeTree ORDER BY (topic_id, person_id) AS
SELECT t.topic_id AS topic_id, tp.person_id AS person_id
FROM epi.trajectory_point AS tp
INNER JOIN epi.screening_topic AS t ON t.place_id = tp.place_id
WHERE tp.place_id IN (SELECT place_id FROM epi.screening_topic WHERE place_id != 0)
  AND tp.ts >= t.window_start AND tp.ts <= t.window_end
GROUP BY t.topic_id, tp.person_id
UNION ALL
SELECT t.topic_id, p.person_id
FROM epi.person AS p
CROSS JOIN (SELECT topic_id, name FROM epi.screening_topic WHERE place_id = 0) AS t
WHERE cityHash64({seed:UInt64}, 'on_list', t.topic_id, p.person_id) % 1000000
      < 1000000 * multiIf(t.name LIKE '%入境%', 0.0001, t.name LIKE '%航班%', 0.0001,
                          t.name LIKE '%机场%', 0.0005, 0.0002);

-- Risk persons of each topic, as the sources sent them: visitors of the topic's place in its
-- window (from trajectories), or a sample of residents on each passenger list. Every person
-- comes in one to three records, one per department that saw them — the duplicates are kept
-- and grouped (排重不去重): records of one person in one topic share dup_group, and the one
-- with the most complete identity is the primary, dispatched for verification. Identity as
-- sent: ID numbers mostly exact, some with a lower-case x, some spaced, some empty (then name
-- and phone carry the match); phones sometimes +86-prefixed or spaced. A few look-alikes (same
-- name as a risk person, other phone, no ID) match no one and form their own groups.
INSERT INTO epi.screening_record
SELECT
    toUInt64(topic_id) * 10000000000 + look_id * 10 + slot AS rid,
    topic_id, raw_id, raw_nm, raw_ph, matched_id, grp, toUInt8(prim_rank = 1),
    substring(r_community, 1, 6), r_community,
    s_dispatched, s_verified, s_outcome, toUInt8(s_outcome IN ('unreachable', 'uncooperative')),
    dept,
    multiIf(dept = 'CUSTOMS', 'CUSTOMS-03', dept = 'BORDER', 'BORDER-01', dept = 'AIRPORT', 'AIRPORT-01',
            dept = 'TRANSPORT', if(t_name LIKE '%客运站%', 'TRANSPORT-02', 'TRANSPORT-01'),
            dept = 'PSB', 'PSB-09', dept = 'BIGDATA', 'BIGDATA-02', dept = 'HEALTH', 'HEALTH-06', 'CDC-10') AS category,
    -- the department's daily file of the day the topic was opened (see 96_batches.sql)
    concat({batch_id:String}, '-screening_record-', category, '-',
           formatDateTime(greatest({story_start:Date}, least({story_end:Date}, toDate(t_created))), '%Y%m%d')),
    rid
FROM
(
    SELECT
        *,
        toDateTime({data_end:String}, 'Asia/Shanghai') AS data_end,
        if(prim_rank = 1, t_created + toIntervalMinute(120 + cityHash64({seed:UInt64}, 'dispatch', grp) % 601), NULL) AS dispatch_time,
        if(dispatch_time <= data_end, dispatch_time, NULL) AS s_dispatched,
        cityHash64({seed:UInt64}, 'outcome', grp) % 100 AS u_outcome,
        multiIf(u_outcome < 85, 'verified', u_outcome < 92, 'unreachable', u_outcome < 95, 'uncooperative', 'pending') AS drawn_outcome,
        if(s_dispatched IS NOT NULL AND drawn_outcome != 'pending',
           s_dispatched + toIntervalMinute(60 + cityHash64({seed:UInt64}, 'verify', grp) % 2101), NULL) AS verify_time,
        if(verify_time <= data_end, verify_time, NULL) AS s_verified,
        if(s_verified IS NULL, 'pending', drawn_outcome) AS s_outcome
    FROM
    (
        -- matched records, one per department that saw the person
        SELECT
            r_topic AS topic_id, t_name, t_created, r_person AS look_id, r_person AS matched_id, slot,
            cityHash64(r_topic, r_person) AS grp,
            arraySort(x -> cityHash64({seed:UInt64}, 'saw', r_topic, r_person, x), t_depts)[slot + 1] AS dept,
            cityHash64({seed:UInt64}, 'record', r_topic, r_person, slot) AS kr,
            kr % 100 AS u_id,
            multiIf(u_id < 80, id_number,
                    u_id < 86, lower(id_number),
                    u_id < 92, concat(substring(id_number, 1, 6), ' ', substring(id_number, 7, 8), ' ', substring(id_number, 15)),
                    '') AS raw_id,
            p_name AS raw_nm,
            cityHash64(kr, 'phone') % 100 AS u_phone,
            multiIf(u_phone < 75, phone,
                    u_phone < 85, concat('+86 ', phone),
                    u_phone < 95 OR raw_id = '', concat(substring(phone, 1, 3), ' ', substring(phone, 4, 4), ' ', substring(phone, 8)),
                    '') AS raw_ph,
            row_number() OVER (PARTITION BY r_topic, r_person ORDER BY raw_id = '', slot) AS prim_rank,
            r_community
        FROM
        (
            SELECT rp.topic_id AS r_topic, rp.person_id AS r_person, t.name AS t_name, t.created_at AS t_created,
                   t.departments AS t_depts, p.id_number, p.name AS p_name, p.phone, p.community_code AS r_community,
                   -- 45% in one record, 35% in two, 20% in three (no more than the topic's sources)
                   least(length(t.departments),
                         multiIf(cityHash64({seed:UInt64}, 'n_records', rp.topic_id, rp.person_id) % 100 < 45, 1,
                                 cityHash64({seed:UInt64}, 'n_records', rp.topic_id, rp.person_id) % 100 < 80, 2, 3)) AS n_records
            FROM epi.seed_risk_person AS rp
            INNER JOIN epi.screening_topic AS t ON t.topic_id = rp.topic_id
            INNER JOIN epi.person AS p ON p.person_id = rp.person_id
        )
        ARRAY JOIN range(n_records) AS slot

        UNION ALL

        -- look-alikes: a risk person's name with another phone and no ID, matched to no one
        SELECT
            r_topic, t_name, t_created, r_person, toUInt64(0), toUInt64(9),
            cityHash64(r_topic, r_person, 'look-alike'),
            t_depts[cityHash64({seed:UInt64}, 'look_dept', r_topic, r_person) % length(t_depts) + 1],
            toUInt64(0), toUInt64(0), '', p_name,
            toUInt64(0),
            concat('166', leftPad(toString(cityHash64({seed:UInt64}, 'look_phone', r_topic, r_person) % 100000000), 8, '0')),
            toUInt64(1),
            codes[cityHash64({seed:UInt64}, 'look_community', r_topic, r_person) % length(codes) + 1]
        FROM
        (
            SELECT rp.topic_id AS r_topic, rp.person_id AS r_person, t.name AS t_name, t.created_at AS t_created,
                   t.departments AS t_depts, p.name AS p_name, cm.codes
            FROM epi.seed_risk_person AS rp
            INNER JOIN epi.screening_topic AS t ON t.topic_id = rp.topic_id
            INNER JOIN epi.person AS p ON p.person_id = rp.person_id
            INNER JOIN
            (
                SELECT district_code, arraySort(groupArray(code)) AS codes FROM epi.community GROUP BY district_code
            ) AS cm ON cm.district_code = substring(p.community_code, 1, 6)
            WHERE cityHash64({seed:UInt64}, 'look_alike', rp.topic_id, rp.person_id) % 100 < 3
        )
    )
);
