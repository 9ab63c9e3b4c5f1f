-- Streets (街道 / 镇): 261 shared out by census population; each is a cell of its unit's real
-- outline, with a point inside it (the working table seed_cell, from seed/geography.py).
INSERT INTO epi.street
SELECT st.code, st.district_code, st.name, st.kind, g.lon, g.lat, g.outline
FROM
(
SELECT
    concat(dcode, leftPad(toString(j + 1), 3, '0')) AS code,
    dcode AS district_code,
    concat(prefixes[(j * 7 + di * 13) % length(prefixes) + 1], if(is_street, '街道', '镇')) AS name,
    if(is_street, 'street', 'town') AS kind
FROM
(
    SELECT
        number AS s,
        arrayFirstIndex(x -> x > s, {d_street_end:Array(UInt32)}) AS di,
        s - {d_street_start:Array(UInt32)}[di] AS j,
        {d_codes:Array(String)}[di] AS dcode,
        cityHash64({seed:UInt64}, 'street', s) % 100 < if({d_kinds:Array(String)}[di] = 'district', 85, 25)
            OR j = 0 AS is_street,
        ['春熙','盐市口','书院','合江亭','水井坊','牛市口','东光','督院','锦官驿','沙河','府南','草市',
         '西御河','汪家拐','少城','东坡','金沙','光华','苏坡','文家','黄田坝','西华','驷马桥','荷花池',
         '茶店子','营门口','抚琴','九里堤','浆洗街','望江','玉林','跳伞塔','簇桥','红牌楼','华兴','机投',
         '金花','双桥子','猛追湾','跳蹬河','府青','建设路','万年场','龙潭','保和','白莲池','东山','大面',
         '十陵','同安','西河','洛带','黄土','大弯','弥牟','城厢','姚渡','大丰','三河','新繁','清流',
         '石板滩','柳城','公平','涌泉','永宁','天府','和盛','东升','西航港','黄甲','九江','彭镇','郫筒',
         '犀浦','安德','友爱','唐昌','花园','五津','永商','兴义','赵镇','淮口','白果','竹篙','晋原',
         '安仁','悦来','鹤鸣','鹤山','朝阳湖','大塘','灌口','幸福','青城山','玉堂','天彭','致和','丹景山',
         '葛仙山','临邛','文君','羊安','平乐','崇阳','大划','江源','三江','简城','石桥','射洪坝','贾家',
         '平泉','养马','桂溪','石羊','肖家河','芳草','中和','合作','新源','西园','万安','兴隆','正兴'] AS prefixes
    FROM numbers({total_streets:UInt32})
)
) AS st
INNER JOIN epi.seed_cell AS g ON g.code = st.code;

-- Communities (社区 / 村): 12 per street, the cells of its street's cell.
INSERT INTO epi.community
SELECT cm.ccode, cm.street_code, cm.district_code, cm.cname, g.lon, g.lat, g.outline
FROM
(
SELECT
    concat(code, leftPad(toString(k + 1), 3, '0')) AS ccode,
    code AS street_code,
    district_code,
    concat(names[(cityHash64({seed:UInt64}, 'cname', code) + k * 11) % length(names) + 1],
           if(kind = 'street', '社区', '村')) AS cname
FROM
(
    SELECT
        code, district_code, kind, k,
        ['新华','和平','幸福','光明','育才','金桥','长青','团结','红星','建设','民主','友谊','前进',
         '安康','福星','青云','锦华','瑞祥','文苑','东城','西城','南苑','北辰','紫荆','翠柏','梧桐',
         '桂花','银杏','芙蓉','海棠','玉兰','丁香','荷塘','枫林','松竹','梅园','兰亭','清泉','河畔',
         '桥头','双龙','凤凰','白鹭','天鹅','蓝天','彩虹','星辰','晨曦'] AS names
    FROM epi.street
    ARRAY JOIN range(12) AS k
)
) AS cm
INNER JOIN epi.seed_cell AS g ON g.code = cm.ccode;
