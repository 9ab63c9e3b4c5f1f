-- Persons per unit follow the census exactly (largest remainder); households of 2-3 share
-- a compound; the building's workers come from the five central districts.
INSERT INTO epi.seed_routine
SELECT
    number + 1 AS person_id,
    di,
    di * 100000000 + h AS household_id,
    i - intDiv(h * 26 + 9, 10) AS household_pos,
    toUInt32((street_global * 12 + k) * 6 + c + 1) AS compound_id,
    concat({d_codes:Array(String)}[di], leftPad(toString(j + 1), 3, '0'), leftPad(toString(k + 1), 3, '0')) AS community_code,
    toUInt32(if(di <= 5 AND cityHash64({seed:UInt64}, 'building', number) % 1000 < 3, 1,
        ((({d_street_start:Array(UInt32)}[di] + cityHash64({seed:UInt64}, 'ws', number) % {d_streets:Array(UInt32)}[di]) * 12
          + cityHash64({seed:UInt64}, 'wc', number) % 12) * 3 + cityHash64({seed:UInt64}, 'wp', number) % 3 + 1))) AS work_place_id,
    toUInt32((street_global * 12 + cityHash64({seed:UInt64}, 'lc', number) % 12) * 3
        + cityHash64({seed:UInt64}, 'lp', number) % 3 + 1) AS leisure_place_id,
    toUInt8(cityHash64({seed:UInt64}, 'sex', number) % 2 + 1) AS sex,
    toDate32({story_start:Date}) - toIntervalDay(toUInt32(365.25 * if(u_age < 0.025, 80 + 15 * v_age, 80 * v_age))) AS birth_date
FROM
(
    SELECT
        number,
        arrayFirstIndex(x -> x > number, {d_person_end:Array(UInt64)}) AS di,
        number - {d_person_start:Array(UInt64)}[di] AS i,
        intDiv(i * 10, 26) AS h,
        cityHash64({seed:UInt64}, 'household', di, h) AS hh,
        hh % {d_streets:Array(UInt32)}[di] AS j,
        intDiv(hh, 1000) % 12 AS k,
        intDiv(hh, 1000000) % 6 AS c,
        {d_street_start:Array(UInt32)}[di] + j AS street_global,
        (cityHash64({seed:UInt64}, 'age_u', number) % 10000) / 10000. AS u_age,
        (cityHash64({seed:UInt64}, 'age_v', number) % 10000) / 10000. AS v_age
    FROM numbers({total_persons:UInt64})
);

-- One person, one file: valid GB 11643 ID numbers (address code, birth date, sequence with
-- odd = male, ISO 7064 MOD 11-2 check character), unique mobiles, Chinese names, flags.
INSERT INTO epi.person
SELECT
    person_id,
    concat(body, ['1','0','X','9','8','7','6','5','4','3','2'][
        arraySum(arrayMap((pos, w) -> (reinterpretAsUInt8(substring(body, pos, 1)) - 48) * w,
                          range(1, 18), [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2])) % 11 + 1]) AS id_number,
    concat(surnames[cityHash64({seed:UInt64}, 'surname', person_id) % length(surnames) + 1],
           given[cityHash64({seed:UInt64}, 'given1', person_id) % length(given) + 1],
           if(cityHash64({seed:UInt64}, 'given_n', person_id) % 10 < 7,
              given[cityHash64({seed:UInt64}, 'given2', person_id) % length(given) + 1], '')) AS name,
    if(sex = 1, 'male', 'female') AS sex_label,
    birth_date,
    concat(['138','139','158','159','187','188','136','137','150','151','182','183','135','199',
            '177','180','181','189','133','153'][cityHash64({seed:UInt64}, 'mobile', person_id) % 20 + 1],
           leftPad(toString((person_id * 48271 + 12345) % 100000000), 8, '0')) AS phone,
    community_code,
    compound_id,
    household_id,
    toUInt8(household_pos = 0 AND age >= 18 AND cityHash64({seed:UInt64}, 'owner', person_id) % 10 < 7) AS is_owner,
    toUInt8(age >= 80) AS aged_80_plus,
    toUInt8(sex = 2 AND age BETWEEN 20 AND 40 AND cityHash64({seed:UInt64}, 'preg', person_id) % 100 < 4) AS pregnant,
    toUInt8(age >= 30 AND cityHash64({seed:UInt64}, 'dialysis', person_id) % 1000 < 2) AS dialysis,
    toUInt8(cityHash64({seed:UInt64}, 'disabled', person_id) % 100 < 2) AS disabled,
    toUInt8(age < 1) AS infant,
    'PSB' AS src_department,
    'PSB-01' AS src_category,
    {batch_id:String} AS batch_id,
    person_id AS source_row
FROM
(
    SELECT
        person_id, sex, birth_date, community_code, compound_id, household_id, household_pos,
        toUInt32(dateDiff('day', birth_date, toDate32({story_start:Date})) / 365.25) AS age,
        concat({d_codes:Array(String)}[di], formatDateTime(birth_date, '%Y%m%d'),
               leftPad(toString(((row_number() OVER (PARTITION BY di, birth_date, sex ORDER BY person_id) - 1) * 2
                                 + if(sex = 1, 1, 2)) % 1000), 3, '0')) AS body,
        ['王','李','张','刘','陈','杨','黄','赵','吴','周','徐','孙','马','朱','胡','郭','何','高','林','罗',
         '郑','梁','谢','宋','唐','许','韩','冯','邓','曹','彭','曾','肖','田','董','袁','潘','蒋','蔡','余',
         '杜','叶','程','苏','魏','吕','丁','任','沈','姚','卢','钟','谭','廖','范','龚','邹','熊','欧阳','司马'] AS surnames,
        ['伟','芳','娜','敏','静','丽','强','磊','军','洋','勇','艳','杰','娟','涛','明','超','秀','霞','平',
         '刚','桂','英','华','玉','兰','建','国','文','辉','鑫','宇','浩','婷','雪','琳','晨','欣','怡','悦',
         '蓉','川','锦','峰','博','梓','涵','萱','睿','泽','瑶','昊','嘉','一','诗','雨','思','佳','子','轩',
         '彧','喆','堃','昶','燊','淼','犇','骉','珺','玥'] AS given
    FROM epi.seed_routine
);

-- Residential compounds, each on a spot inside its community's cell; households and owners are
-- those of the generated residents.
INSERT INTO epi.compound
SELECT
    compound_id,
    code AS community_code,
    concat(prefix[cityHash64({seed:UInt64}, 'cp1', compound_id) % length(prefix) + 1],
           suffix[cityHash64({seed:UInt64}, 'cp2', compound_id) % length(suffix) + 1],
           if(cityHash64({seed:UInt64}, 'cp3', compound_id) % 4 = 0, '二期', '')) AS name,
    lon AS c_lon,
    lat AS c_lat,
    toUInt16(1 + intDiv(ifNull(households, 0), 40) + cityHash64({seed:UInt64}, 'bld', compound_id) % 3) AS buildings,
    toUInt32(ifNull(households, 0)) AS households,
    toUInt32(ifNull(owners, 0)) AS owners,
    'GOV' AS src_department, 'GOV-02' AS src_category, {batch_id:String} AS batch_id, compound_id AS source_row
FROM
(
    SELECT c.code, sp.lon AS lon, sp.lat AS lat, sp.slot AS n,
           toUInt32((({d_street_start:Array(UInt32)}[indexOf({d_codes:Array(String)}, c.district_code)]
               + toUInt32(substring(c.code, 7, 3)) - 1) * 12 + toUInt32(substring(c.code, 10, 3)) - 1) * 6 + n + 1) AS compound_id,
           ['锦绣','阳光','翠湖','金沙','龙湖','蓝光','万科','保利','中海','华润','麓山','望江','府河','天府',
            '东湖','西岭','南湖','北城','芙蓉','银杏','锦城','青城','浣花','桂湖'] AS prefix,
           ['花园','小区','苑','家园','公馆','华庭','雅居','新城','名都','嘉园','丽景','国际'] AS suffix
    FROM epi.seed_spot AS sp
    INNER JOIN epi.community AS c ON c.code = sp.community_code
    WHERE sp.slot < 6  -- spots 0-5 of the community's cell (seed/geography.py SPOT_SLOTS)
) AS cp
LEFT JOIN
(
    SELECT compound_id, uniqExact(household_id) AS households, sum(is_owner) AS owners
    FROM epi.person GROUP BY compound_id
) AS agg USING (compound_id);

-- Places with place codes: three per community, on spots inside its cell; place 1 is the building of the index cluster.
INSERT INTO epi.place
SELECT
    place_id,
    concat('CDCS', leftPad(toString(place_id), 8, '0')) AS place_code,
    code AS community_code,
    if(place_id = 1, {building:String},
       concat(cname, kinds[kind_i].2)) AS name,
    if(place_id = 1, 'office', kinds[kind_i].1) AS kind,
    lon AS p_lon,
    lat AS p_lat,
    'PSB' AS src_department, 'PSB-05' AS src_category, {batch_id:String} AS batch_id, place_id AS source_row
FROM
(
    SELECT c.code, sp.lon AS lon, sp.lat AS lat, sp.slot - 6 AS n, replaceRegexpOne(c.name, '(社区|村)$', '') AS cname,
           toUInt32((({d_street_start:Array(UInt32)}[indexOf({d_codes:Array(String)}, c.district_code)]
               + toUInt32(substring(c.code, 7, 3)) - 1) * 12 + toUInt32(substring(c.code, 10, 3)) - 1) * 3 + n + 1) AS place_id,
           cityHash64({seed:UInt64}, 'plk', place_id) % 10 + 1 AS kind_i,
           [('supermarket', '超市'), ('market', '菜市场'), ('restaurant', '餐馆'), ('mall', '商场'),
            ('office', '写字楼'), ('hospital', '医院'), ('school', '学校'), ('gym', '健身房'),
            ('teahouse', '茶馆'), ('hotpot', '火锅店')] AS kinds
    FROM epi.seed_spot AS sp
    INNER JOIN epi.community AS c ON c.code = sp.community_code
    WHERE sp.slot BETWEEN 6 AND 8  -- spots 6-8 of the community's cell
);
