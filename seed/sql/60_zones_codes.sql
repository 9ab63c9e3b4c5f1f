-- Risk zones drawn from the cases: high (封控) a circle of 0.0025° (about 250 m) at each case's
-- residential compound, medium (管控) one of 0.006° at the communities of the places cases worked,
-- low (防范) the outline of each district holding a high or medium zone. Lifted after the
-- protocol's days without a new case plus a negative round; a low zone is lifted with the last
-- zone of its district.
INSERT INTO epi.risk_zone
SELECT
    toUInt32(row_number() OVER (ORDER BY tier, start_at, zone_key)) AS zone_id,
    tier, zone_name, district_code, community_code, compound_id,
    if(outline != '', outline,
       concat('{"type":"Polygon","coordinates":[[',
              arrayStringConcat(arrayMap(i -> concat('[', toString(round(lon + radius * cos(2 * pi() * i / 16) / cos(radians(lat)), 6)), ',',
                                                      toString(round(lat + radius * sin(2 * pi() * i / 16), 6)), ']'), range(17)), ','),
              ']]}')) AS geometry,
    reasons, start_at,
    if(lift > toDateTime({data_end:String}, 'Asia/Shanghai'), NULL, lift) AS lifted_at,
    0 AS plan_id, 'CDC', 'CDC-05', {batch_id:String}, zone_id
FROM
(
    SELECT 'high' AS tier, toString(k.compound_id) AS zone_key, concat(any(cp.name), '（封控区）') AS zone_name,
           substring(any(k.community_code), 1, 6) AS district_code, any(k.community_code) AS community_code,
           k.compound_id, any(cp.lon) AS lon, any(cp.lat) AS lat, 0.0025 AS radius, '' AS outline,
           arraySort(groupArray(k.case_id)) AS reasons,
           min(k.confirmed_at) + toIntervalHour(2) AS start_at,
           toStartOfDay(max(k.confirmed_at)) + toIntervalDay({high_lift_days:UInt8} + 1) + toIntervalHour(10) AS lift
    FROM (SELECT c.case_id, c.community_code, c.confirmed_at, p.compound_id
          FROM epi.case_record AS c INNER JOIN epi.person AS p ON p.person_id = c.person_id) AS k
    INNER JOIN epi.compound AS cp ON cp.compound_id = k.compound_id
    GROUP BY k.compound_id

    UNION ALL

    SELECT 'medium', pl.community_code, concat(any(cm.name), '（管控区）'),
           substring(pl.community_code, 1, 6), pl.community_code, 0, any(cm.lon), any(cm.lat), 0.006, '',
           arraySort(groupArray(c.case_id)),
           min(c.confirmed_at) + toIntervalHour(4),
           toStartOfDay(max(c.confirmed_at)) + toIntervalDay({medium_lift_days:UInt8} + 1) + toIntervalHour(10)
    FROM epi.case_record AS c
    INNER JOIN epi.seed_routine AS r ON r.person_id = c.person_id
    INNER JOIN epi.place AS pl ON pl.place_id = r.work_place_id
    INNER JOIN epi.community AS cm ON cm.code = pl.community_code
    GROUP BY pl.community_code

    UNION ALL

    SELECT 'low', d.code, concat(any(d.name), '（防范区）'), d.code, '', 0, any(d.lon), any(d.lat), 0, any(d.outline),
           arraySort(groupArray(c.case_id)),
           min(c.confirmed_at) + toIntervalHour(4),
           toStartOfDay(max(c.confirmed_at)) + toIntervalDay({medium_lift_days:UInt8} + 1) + toIntervalHour(10)
    FROM epi.case_record AS c
    INNER JOIN epi.district AS d ON d.code = substring(c.community_code, 1, 6)
    GROUP BY d.code
);

-- Health codes: red for cases and close contacts, yellow for secondary contacts and the
-- residents of sealed compounds, back to green on release or when the zone is lifted.
INSERT INTO epi.health_code_change
SELECT person_id, ts, color, reason, community_code, 'BIGDATA', 'BIGDATA-01', {batch_id:String},
       cityHash64(person_id, ts, color) % 1000000000000
FROM
(
    SELECT person_id, confirmed_at AS ts, 'red' AS color,
           if(kind = 'confirmed', 'confirmed_case', 'asymptomatic_case') AS reason, community_code
    FROM epi.case_record
    UNION ALL
    SELECT person_id, identified_at, if(kind = 'close_contact', 'red', 'yellow'), toString(kind), community_code
    FROM epi.control_episode
    UNION ALL
    SELECT person_id, assumeNotNull(released_at), 'green', 'released', community_code
    FROM epi.control_episode WHERE released_at IS NOT NULL
    UNION ALL
    SELECT p.person_id, z.start_at, 'yellow', 'sealed_zone', p.community_code
    FROM epi.person AS p INNER JOIN epi.risk_zone AS z ON z.compound_id = p.compound_id
    WHERE z.tier = 'high'
      AND p.person_id NOT IN (SELECT person_id FROM epi.case_record)
      AND p.person_id NOT IN (SELECT person_id FROM epi.control_episode)
    UNION ALL
    SELECT p.person_id, assumeNotNull(z.lifted_at), 'green', 'zone_lifted', p.community_code
    FROM epi.person AS p INNER JOIN epi.risk_zone AS z ON z.compound_id = p.compound_id
    WHERE z.tier = 'high' AND z.lifted_at IS NOT NULL
      AND p.person_id NOT IN (SELECT person_id FROM epi.case_record)
      AND p.person_id NOT IN (SELECT person_id FROM epi.control_episode)
);
