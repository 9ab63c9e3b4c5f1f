-- First and last day with data, the data version that cache keys carry, and what the dataset is
-- (scale and the share of the census it generates, for the demo note).
-- grain: one row; params: scope String
SELECT
    (SELECT min(toDate(sampled_hour, 'Asia/Shanghai')) FROM epi.agg_samples_hourly WHERE startsWith(community_code, {scope:String})) AS first_day,
    (SELECT max(toDate(sampled_hour, 'Asia/Shanghai')) FROM epi.agg_samples_hourly WHERE startsWith(community_code, {scope:String})) AS last_day,
    (SELECT argMax(value, updated_at) FROM epi.dataset_info WHERE key = 'data_version') AS data_version,
    (SELECT argMax(value, updated_at) FROM epi.dataset_info WHERE key = 'scale') AS scale,
    (SELECT argMax(value, updated_at) FROM epi.dataset_info WHERE key = 'person_fraction') AS person_fraction
