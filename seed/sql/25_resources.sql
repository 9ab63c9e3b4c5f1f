-- Sampling sites, uniformly coded HS-<district>-<seq>, a few per community, on spots inside its cell.
INSERT INTO epi.sampling_site
SELECT
    toUInt32(row_number() OVER (ORDER BY code, n)) AS site_id,
    concat('HS-', district_code, '-',
           leftPad(toString(row_number() OVER (PARTITION BY district_code ORDER BY code, n)), 4, '0')) AS site_code,
    code AS community_code,
    concat(replaceRegexpOne(name, '(社区|村)$', ''), '核酸采样点', toString(n + 1), '号') AS site_name,
    ['fixed', 'fixed', 'fixed', 'temporary', 'temporary', 'mobile'][cityHash64({seed:UInt64}, 'sk', code, n) % 6 + 1] AS kind,
    sp.lon AS s_lon,
    sp.lat AS s_lat,
    toUInt16(2 + cityHash64({seed:UInt64}, 'sam', code, n) % 7) AS samplers,
    toUInt32(samplers * {swabs_per_sampler_hour:UInt32}) AS capacity_per_hour,
    toUInt8(7 + cityHash64({seed:UInt64}, 'so', code, n) % 2) AS open_hour,
    toUInt8(20 + cityHash64({seed:UInt64}, 'sc', code, n) % 3) AS close_hour,
    'HEALTH' AS src_department, 'HEALTH-04' AS src_category, {batch_id:String} AS batch_id,
    toUInt64(site_id) AS source_row
FROM
(
    SELECT code, name, district_code, n
    FROM epi.community
    ARRAY JOIN range(toUInt32(floor({sites_per_community:Float64}
        + (cityHash64({seed:UInt64}, 'nsites', code) % 1000) / 1000.))) AS n
) AS cm  -- spots 9-11 of the cell
INNER JOIN epi.seed_spot AS sp ON sp.community_code = cm.code AND sp.slot = 9 + cm.n;

-- Working table: each community's sites in site order, for assigning people to a site.
CREATE TABLE IF NOT EXISTS epi.seed_community_sites ENGINE = MergeTree ORDER BY community_code AS
SELECT community_code, arraySort(groupArray(site_id)) AS sites
FROM epi.sampling_site GROUP BY community_code;

-- Testing laboratories: thirty, capacity in tubes per day at this scale.
INSERT INTO epi.lab
SELECT
    toUInt16(number + 1) AS lab_id,
    concat({d_names:Array(String)}[number % 20 + 1], ['第一','第二'][intDiv(number, 20) + 1], '核酸检测实验室') AS lab_name,
    {d_codes:Array(String)}[number % 20 + 1] AS district_code,
    toUInt32(greatest(50, round((20000 + cityHash64({seed:UInt64}, 'lab', number) % 60000) * {fraction:Float64}))) AS capacity_per_day
FROM numbers(30);

-- Quarantine hotels: 150, rooms at real size.
INSERT INTO epi.quarantine_hotel
SELECT
    toUInt32(number + 1) AS hotel_id,
    c.code AS community_code,
    concat(['锦江','天府','蓉城','芙蓉','熊猫','金沙','望江','银河','东方','西部'][number % 10 + 1],
           ['宾馆','酒店','大酒店','商务酒店','假日酒店'][intDiv(number, 10) % 5 + 1], '（集中隔离点）') AS hotel_name,
    c.lon AS h_lon, c.lat AS h_lat,
    toUInt32(80 + cityHash64({seed:UInt64}, 'rooms', number) % 320) AS rooms,
    'HEALTH' AS src_department, 'HEALTH-07' AS src_category, {batch_id:String} AS batch_id, number AS source_row
FROM numbers(150) AS h
INNER JOIN
(
    SELECT code, sp.lon AS lon, sp.lat AS lat, row_number() OVER (ORDER BY cityHash64({seed:UInt64}, 'hotel_c', code)) AS rn
    FROM epi.community AS cm
    INNER JOIN epi.seed_spot AS sp ON sp.community_code = cm.code AND sp.slot = 12  -- spot 12
) AS c ON c.rn = h.number + 1;

-- Supply depots: one per street, in its first community's cell.
INSERT INTO epi.supply_depot
SELECT
    toUInt32(row_number() OVER (ORDER BY code)) AS depot_id,
    concat(code, '001') AS community_code,
    concat(replaceRegexpOne(name, '(街道|镇)$', ''), '物资保障点') AS depot_name,
    ['food', 'medical', 'ppe'][cityHash64({seed:UInt64}, 'depot', code) % 3 + 1] AS kind,
    sp.lon, sp.lat,
    toUInt32(20 + cityHash64({seed:UInt64}, 'tonnes', code) % 200) AS capacity_tonnes,
    'COMMERCE' AS src_department, 'COMMERCE-01' AS src_category, {batch_id:String} AS batch_id,
    toUInt64(depot_id) AS source_row
FROM epi.street AS st  -- spot 13 of the first community
INNER JOIN epi.seed_spot AS sp ON sp.community_code = concat(st.code, '001') AND sp.slot = 13;
