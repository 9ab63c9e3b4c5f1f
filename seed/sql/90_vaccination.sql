-- Vaccination in 2021: about 92% of all residents have a first dose, 88% two doses and 50%
-- a booster (the shares are taken over everyone, so the chances among those eligible are
-- scaled up: no dose for infants and children under 3, boosters for adults only; ages are
-- taken on 2021-10-25, when vaccination opened to children of 3–11).
-- Adults from February (60+ from late March), 12–17 from late July, 3–11 from late October;
-- the second dose 21–56 days after the first (21–28 for children); boosters from October,
-- at least 150 days after the second dose, so boosted people had their first dose by May.
-- Doses 1–2 use one vaccine; a booster is sometimes heterologous (智飞).
INSERT INTO epi.vaccination
SELECT
    person_id, dose, [d1, d2, d3][dose] AS vaccinated_on,
    if(dose = 3, booster_vaccine, primary_vaccine) AS vaccine,
    community_code,
    'HEALTH' AS src_department, 'HEALTH-10' AS src_category, {batch_id:String} AS batch_id,
    person_id * 10 + dose AS source_row
FROM
(
    SELECT
        p.person_id, p.community_code,
        dateDiff('day', p.birth_date, toDate('2021-10-25')) / 365.25 AS age,
        p.infant = 0 AND age >= 3 AS eligible,
        (cityHash64({seed:UInt64}, 'vaccinated', p.person_id) % 1000000) / 1000000. AS u,
        toUInt8(if(NOT eligible, 0,
            (u < least(1., 0.92 / shares.1)) + (u < least(1., 0.88 / shares.1))
            + (age >= 18 AND u < least(0.88 / shares.1, 0.50 / shares.2)))) AS n_doses,
        -- first-dose window by age group; boosted adults were vaccinated early
        multiIf(age < 12, (toDate('2021-10-25'), toDate('2021-11-30')),
                age < 18, (toDate('2021-07-20'), toDate('2021-09-30')),
                n_doses = 3, (if(age >= 60, toDate('2021-03-25'), toDate('2021-01-15')), toDate('2021-05-31')),
                (if(age >= 60, toDate('2021-03-25'), toDate('2021-02-01')), toDate('2021-09-15'))) AS window,
        window.1 + toIntervalDay(toUInt32(dateDiff('day', window.1, window.2)
            * (cityHash64({seed:UInt64}, 'dose1', p.person_id) % 10000) / 10000.)) AS d1,
        d1 + toIntervalDay(21 + cityHash64({seed:UInt64}, 'dose2', p.person_id) % if(age < 12, 8, 36)) AS d2,
        greatest(d2 + toIntervalDay(150), toDate('2021-10-01')) AS b0,
        b0 + toIntervalDay(toUInt32(greatest(0, dateDiff('day', b0, toDate('2021-12-31')))
            * (cityHash64({seed:UInt64}, 'dose3', p.person_id) % 10000) / 10000.)) AS d3,
        if(age < 18,
           ['科兴', '国药北京'][cityHash64({seed:UInt64}, 'vaccine', p.person_id) % 5 < 3 ? 1 : 2],
           ['科兴', '国药北京', '国药武汉', '智飞'][arrayFirstIndex(x -> x > cityHash64({seed:UInt64}, 'vaccine', p.person_id) % 100,
                                                           arrayCumSum([45, 30, 15, 10]))]) AS primary_vaccine,
        if(primary_vaccine != '智飞' AND cityHash64({seed:UInt64}, 'booster', p.person_id) % 5 = 0, '智飞', primary_vaccine) AS booster_vaccine
    FROM epi.person AS p
    CROSS JOIN
    (
        -- (share of residents eligible, share of residents who are adults)
        SELECT (countIf(infant = 0 AND dateDiff('day', birth_date, toDate('2021-10-25')) / 365.25 >= 3) / count(),
                countIf(dateDiff('day', birth_date, toDate('2021-10-25')) / 365.25 >= 18) / count()) AS shares
        FROM epi.person
    ) AS s
)
ARRAY JOIN range(1, n_doses + 1) AS dose
WHERE n_doses > 0;
