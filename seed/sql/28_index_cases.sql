-- The index cases: three people who work at the building, sampled on 2月19日 at a fever
-- clinic and confirmed in the small hours of 2月20日.
INSERT INTO epi.seed_case
SELECT
    person_id, 0 AS generation,
    if(rn = 3, 'asymptomatic', 'confirmed') AS kind,
    'index' AS found_by, 0 AS infector_person,
    if(rn = 3, NULL, toDate('2022-02-17') + (rn - 1)) AS onset_date,
    toDateTime('2022-02-19 10:00:00', 'Asia/Shanghai') + toIntervalHour(rn * 2) AS sampled_at,
    toDateTime('2022-02-20 01:30:00', 'Asia/Shanghai') + toIntervalMinute(rn * 40) AS confirmed_at,
    confirmed_at + toIntervalHour(3) AS isolated_at
FROM
(
    SELECT person_id, row_number() OVER (ORDER BY cityHash64({seed:UInt64}, 'index', person_id)) AS rn
    FROM epi.seed_routine
    WHERE work_place_id = 1 AND dateDiff('day', birth_date, toDate32('2022-02-20')) BETWEEN 20 * 365 AND 60 * 365
)
WHERE rn <= 3;
