-- First and last day with data, the data version that cache keys carry, and what the dataset is
-- (scale and the share of the census it generates, for the demo note). For the whole city the
-- first and last hour come from the parts' own min/max (an empty scope reads no community code).
-- grain: one row; params: scope String
SELECT
    s.first_day AS first_day,
    s.last_day AS last_day,
    (SELECT argMax(value, updated_at) FROM epi.dataset_info WHERE key = 'data_version') AS data_version,
    (SELECT argMax(value, updated_at) FROM epi.dataset_info WHERE key = 'scale') AS scale,
    (SELECT argMax(value, updated_at) FROM epi.dataset_info WHERE key = 'person_fraction') AS person_fraction
FROM
(
    SELECT toDate(min(sampled_hour), 'Asia/Shanghai') AS first_day, toDate(max(sampled_hour), 'Asia/Shanghai') AS last_day
    FROM epi.agg_samples_hourly
    WHERE {scope:String} = '' OR startsWith(community_code, {scope:String})
) AS s
