-- One mass-testing round: residents of the round's districts (all, when the list is empty)
-- who are not under control, sampled at a site of their community, 10-in-1 pools; one lab
-- round (the citywide one) builds a backlog that pushes some results past 24 h.
INSERT INTO epi.sample
SELECT
    toUInt64(1000000000000000 + {round_id:UInt16} * 10000000000 + person_id) AS sample_id,
    person_id, site_id, 0 AS hotel_id, lab_id,
    toUInt64({round_id:UInt16} * 10000000000 + site_id * 100000 + intDiv(rn - 1, {pool_size:UInt8})) AS tube_id,
    {pool_size:UInt8} AS pool_size, 'mass' AS purpose, {round_id:UInt16} AS round_id, 0 AS protocol_day,
    sampled_at,
    if(received > toDateTime({data_end:String}, 'Asia/Shanghai'), NULL, received) AS received_at,
    if(result_time > toDateTime({data_end:String}, 'Asia/Shanghai'), NULL, result_time) AS result_at,
    if(result_at IS NULL, 'pending', if(max(infected) OVER (PARTITION BY tube_id) = 1, 'positive', 'negative')) AS result,
    community_code,
    'HEALTH', 'HEALTH-05', {batch_id:String}, sample_id
FROM
(
    SELECT
        p.person_id, p.community_code, p.di,
        s.sites[cityHash64({seed:UInt64}, 'site', p.person_id) % length(s.sites) + 1] AS site_id,
        toUInt16(if(p.di <= 10 AND cityHash64({seed:UInt64}, 'lab', p.person_id) % 2 = 1, p.di + 20, p.di)) AS lab_id,
        toDateTime({round_day:Date} + toIntervalDay(cityHash64({seed:UInt64}, 'rday', p.person_id) % {round_days:UInt8}), 'Asia/Shanghai')
            + toIntervalSecond(hours[cityHash64({seed:UInt64}, 'rhour', p.person_id, {round_id:UInt16}) % length(hours) + 1] * 3600
                               + cityHash64({seed:UInt64}, 'rsec', p.person_id, {round_id:UInt16}) % 3600) AS sampled_at,
        sampled_at + toIntervalMinute(60 + cityHash64({seed:UInt64}, 'recv', p.person_id, {round_id:UInt16}) % 180) AS received,
        received + toIntervalMinute(180 + cityHash64({seed:UInt64}, 'tat', p.person_id, {round_id:UInt16}) % 600
            + if({round_id:UInt16} = {backlog_round:UInt16} AND cityHash64({seed:UInt64}, 'backlog', p.person_id) % 100 < 15,
                 720 + cityHash64({seed:UInt64}, 'blmin', p.person_id) % 900, 0)) AS result_time,
        toUInt8(p.person_id IN (
            SELECT person_id FROM epi.case_record
            WHERE confirmed_at BETWEEN toDateTime({round_day:Date}, 'Asia/Shanghai') - toIntervalDay(1)
                                   AND toDateTime({round_day:Date}, 'Asia/Shanghai') + toIntervalDay(4))) AS infected,
        row_number() OVER (PARTITION BY site_id ORDER BY sampled_at, p.person_id) AS rn,
        [7, 7, 8, 8, 8, 8, 9, 9, 9, 9, 9, 10, 10, 10, 10, 11, 11, 11, 12, 12, 13, 13, 14, 14, 15, 15,
         16, 16, 17, 17, 18, 18, 18, 19, 19, 19, 19, 20, 20, 20, 21, 21] AS hours
    FROM epi.seed_routine AS p
    INNER JOIN
    epi.seed_community_sites AS s ON s.community_code = p.community_code
    WHERE (empty({round_districts:Array(String)}) OR substring(p.community_code, 1, 6) IN {round_districts:Array(String)})
      AND cityHash64({seed:UInt64}, 'takes_part', p.person_id, {round_id:UInt16}) % 100 < 88
      AND p.person_id NOT IN (
          SELECT person_id FROM epi.seed_controlled
          WHERE from_ts BETWEEN toDateTime({round_day:Date}, 'Asia/Shanghai') - toIntervalDay(10)
                            AND toDateTime({round_day:Date} + toIntervalDay({round_days:UInt8}), 'Asia/Shanghai'))
      AND p.person_id NOT IN (
          SELECT person_id FROM epi.case_record
          WHERE isolated_at < toDateTime({round_day:Date}, 'Asia/Shanghai'))
);
