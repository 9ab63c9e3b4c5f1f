-- Tubes waiting at a moment (end of an hour of a day), by lab, stage and age since sampling:
-- sampled but not yet at the lab, or at the lab without a result. Pooled samples share a tube.
-- The time conditions are read first (PREWHERE: most of a week's samples have their result); the
-- community codes only for a district or a scope (an empty code is the whole city and reads none).
-- grain: lab × stage; params: scope String, unit String, day Date, hour UInt8
WITH toDateTime({day:Date}, 'Asia/Shanghai') + toIntervalHour({hour:UInt8} + 1) AS at
SELECT l.lab_id AS lab_id, l.name AS lab_name, l.capacity_per_day AS capacity_per_day, w.stage AS stage,
       w.tubes AS tubes, w.under_6h AS under_6h, w.h6_12 AS h6_12, w.h12_24 AS h12_24, w.over_24h AS over_24h
FROM
(
    SELECT lab_id, stage, count() AS tubes,
           countIf(age_h < 6) AS under_6h, countIf(age_h >= 6 AND age_h < 12) AS h6_12,
           countIf(age_h >= 12 AND age_h < 24) AS h12_24, countIf(age_h >= 24) AS over_24h
    FROM
    (
        SELECT lab_id, tube_id,
               if(any(received_at) IS NULL OR any(received_at) >= at, 'awaiting_receipt', 'in_lab') AS stage,
               dateDiff('minute', min(sampled_at), at) / 60 AS age_h
        FROM epi.sample
        PREWHERE sampled_at < at AND sampled_at >= at - toIntervalDay(7) AND (result_at IS NULL OR result_at >= at)
        WHERE ({scope:String} = '' OR startsWith(community_code, {scope:String}))
          AND ({unit:String} = '' OR startsWith(community_code, {unit:String}))
        GROUP BY lab_id, tube_id
    )
    GROUP BY lab_id, stage
) AS w
INNER JOIN epi.lab AS l ON l.lab_id = w.lab_id
ORDER BY l.lab_id, w.stage
