-- Positive pooled tubes sampled in a period whose positive result was out by the end of an hour
-- of its last day, each member traced with the re-sample taken for them (single tube) by then
-- and its result as known then ('pending' while it was not out yet).
-- grain: pool member; params: scope String, unit String, day_from Date, day Date, hour UInt8 (0–23)
SELECT
    m.tube_id AS tube_id, m.round_id AS round_id, m.pool_size AS pool_size, s.site_code AS site_code,
    m.sampled_at AS sampled_at, m.result_at AS pool_result_at, m.person_id AS person_id, p.name AS person_name,
    toString(m.community_code) AS home_community_code,
    r.sampled_at AS resampled_at, r.result_at AS resample_result_at, ifNull(r.result, '') AS resample_result
FROM epi.sample AS m
INNER JOIN epi.person AS p ON p.person_id = m.person_id
LEFT JOIN epi.sampling_site AS s ON s.site_id = m.site_id
LEFT JOIN
(
    SELECT person_id, round_id, sampled_at,
           if(result_at IS NOT NULL AND assumeNotNull(result_at) < toDateTime({day:Date}, 'Asia/Shanghai')
              + toIntervalHour({hour:UInt8} + 1), result_at, NULL) AS result_at,
           if(result_at IS NOT NULL AND assumeNotNull(result_at) < toDateTime({day:Date}, 'Asia/Shanghai')
              + toIntervalHour({hour:UInt8} + 1), toString(result), 'pending') AS result
    FROM epi.sample
    WHERE purpose = 'resample' AND startsWith(community_code, {scope:String})
      AND sampled_at < toDateTime({day:Date}, 'Asia/Shanghai') + toIntervalHour({hour:UInt8} + 1)
) AS r ON r.person_id = m.person_id AND r.round_id = m.round_id
WHERE m.pool_size > 1 AND m.result = 'positive'
  AND m.sampled_at >= toDateTime({day_from:Date}, 'Asia/Shanghai')
  AND m.result_at IS NOT NULL
  AND assumeNotNull(m.result_at) < toDateTime({day:Date}, 'Asia/Shanghai') + toIntervalHour({hour:UInt8} + 1)
  AND startsWith(m.community_code, {scope:String}) AND startsWith(m.community_code, {unit:String})
ORDER BY m.sampled_at, m.tube_id, m.person_id
