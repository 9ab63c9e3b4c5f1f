-- Progress of a mass-testing round by community: residents, those sampled within the sealed
-- zone's and the controlled zone's first-round targets (policy: 24 h and 48 h) from the round's
-- start (00:00 of its first day) and in the whole round, and the strictest risk zone in force
-- at the start (high = sealed, medium = controlled, '' = none). Only samples taken by the end
-- of {hour} on {day} count: a round still under way shows its progress so far.
-- grain: community; params: scope String, unit String, round_id UInt16, start_day Date,
--   sealed_hours UInt16, controlled_hours UInt16, day Date, hour UInt8 (0–23)
SELECT
    p.community_code AS community_code, c.name AS community_name, p.residents AS residents,
    ifNull(x.sampled_sealed_target, 0) AS sampled_sealed_target,
    ifNull(x.sampled_controlled_target, 0) AS sampled_controlled_target,
    ifNull(x.sampled, 0) AS sampled, ifNull(z.strictest, '') AS zone_tier
FROM
(
    SELECT toString(community_code) AS community_code, count() AS residents
    FROM epi.person
    WHERE startsWith(community_code, {scope:String}) AND startsWith(community_code, {unit:String})
    GROUP BY community_code
) AS p
INNER JOIN epi.community AS c ON c.code = p.community_code
LEFT JOIN
(
    SELECT toString(community_code) AS community_code,
           uniqExactIf(person_id, sampled_at < toDateTime({start_day:Date}, 'Asia/Shanghai')
                                  + toIntervalHour({sealed_hours:UInt16})) AS sampled_sealed_target,
           uniqExactIf(person_id, sampled_at < toDateTime({start_day:Date}, 'Asia/Shanghai')
                                  + toIntervalHour({controlled_hours:UInt16})) AS sampled_controlled_target,
           uniqExact(person_id) AS sampled
    FROM epi.sample
    WHERE purpose = 'mass' AND round_id = {round_id:UInt16}
      AND sampled_at < toDateTime({day:Date}, 'Asia/Shanghai') + toIntervalHour({hour:UInt8} + 1)
      AND startsWith(community_code, {scope:String}) AND startsWith(community_code, {unit:String})
    GROUP BY community_code
) AS x ON x.community_code = p.community_code
LEFT JOIN
(
    SELECT community_code, if(has(groupArray(toString(tier)), 'high'), 'high', 'medium') AS strictest
    FROM epi.risk_zone
    WHERE tier IN ('high', 'medium')
      AND start_at <= toDateTime({start_day:Date}, 'Asia/Shanghai')
      AND (lifted_at IS NULL OR lifted_at > toDateTime({start_day:Date}, 'Asia/Shanghai'))
      AND startsWith(community_code, {scope:String})
    GROUP BY community_code
) AS z ON z.community_code = p.community_code
ORDER BY p.community_code
