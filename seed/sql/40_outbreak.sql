-- Cases get their numbers in order of confirmation; contact edges and control episodes
-- get the case number at the root of their chain; 120 transfers for cases and contacts.
INSERT INTO epi.case_record
WITH numbered AS
(
    SELECT person_id, rn, concat('CD-', leftPad(toString(rn), 4, '0')) AS number
    FROM
    (
        SELECT person_id, row_number() OVER (ORDER BY confirmed_at, person_id) AS rn
        FROM epi.seed_case
        WHERE confirmed_at <= toDateTime({data_end:String}, 'Asia/Shanghai')
    )
)
SELECT
    n.number, c.person_id, c.kind, c.generation, {cluster:String}, c.found_by,
    infector.number, c.onset_date, c.sampled_at, c.confirmed_at, c.isolated_at,
    r.community_code,
    'HEALTH', if(c.kind = 'confirmed', 'HEALTH-01', 'HEALTH-02'), {batch_id:String}, n.rn
FROM epi.seed_case AS c
INNER JOIN numbered AS n ON n.person_id = c.person_id
LEFT JOIN numbered AS infector ON infector.person_id = c.infector_person
INNER JOIN epi.seed_routine AS r ON r.person_id = c.person_id;

INSERT INTO epi.contact_edge
SELECT
    k.case_id, e.from_person, e.to_person, e.hop, e.found_by, e.place_id, e.exposure_at,
    e.identified_at, r.community_code,
    'CDC', if(e.hop = 1, 'CDC-02', 'CDC-03'), {batch_id:String},
    cityHash64(e.case_person, e.to_person, e.hop) % 1000000000000
FROM epi.seed_edge AS e
INNER JOIN epi.case_record AS k ON k.person_id = e.case_person
INNER JOIN epi.seed_routine AS r ON r.person_id = e.to_person;

-- Each episode takes the case number of the person's first identification.
CREATE TABLE IF NOT EXISTS epi.seed_first_case (person_id UInt64, case_id String)
ENGINE = Join(ANY, LEFT, person_id);

INSERT INTO epi.seed_first_case
SELECT to_person_id, argMin(case_id, identified_at) FROM epi.contact_edge GROUP BY to_person_id;

ALTER TABLE epi.control_episode
UPDATE case_id = joinGet('epi.seed_first_case', 'case_id', person_id) WHERE 1
SETTINGS mutations_sync = 2;

-- 120 transfers: cases to the public-health treatment centre, close contacts to hotels.
INSERT INTO epi.transfer
SELECT
    person_id, 'case', case_id,
    confirmed_at + toIntervalMinute(20 + cityHash64({seed:UInt64}, 'd120', person_id) % 220) AS dispatched,
    dispatched + toIntervalMinute(25 + cityHash64({seed:UInt64}, 'a120', person_id) % 70) AS arrived,
    concat('川A', leftPad(toString(cityHash64({seed:UInt64}, 'veh', person_id) % 100000), 5, '0'), '（120）'),
    '成都市公共卫生临床医疗中心', 0, community_code,
    'HEALTH', 'HEALTH-11', {batch_id:String}, cityHash64(person_id, 'case') % 1000000000000
FROM epi.case_record
UNION ALL
SELECT
    person_id, 'close_contact', case_id,
    assumeNotNull(transferred_at),
    quarantine_start,
    concat('川A', leftPad(toString(cityHash64({seed:UInt64}, 'veh', person_id) % 100000), 5, '0'), '（转运）'),
    'hotel', hotel_id, community_code,
    'HEALTH', 'HEALTH-11', {batch_id:String}, cityHash64(person_id, 'contact') % 1000000000000
FROM epi.control_episode
WHERE kind = 'close_contact' AND transferred_at IS NOT NULL;
