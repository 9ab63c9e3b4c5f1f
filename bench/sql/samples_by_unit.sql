-- Naive baseline for cockpit/samples_by_unit: scan every sample (pending in distinct tubes).
SELECT substring(community_code, 1, {grain:UInt8}) AS unit_code,
       countIf(toDate(sampled_at, 'Asia/Shanghai') = {as_of:Date}) AS taken,
       uniqExactIf(tube_id, (result_at IS NULL OR result_at >= toDateTime({as_of:Date} + 1, 'Asia/Shanghai'))
               AND sampled_at < toDateTime({as_of:Date} + 1, 'Asia/Shanghai') - toIntervalHour({pending_b:UInt8})) AS pending_b
FROM epi.sample
WHERE startsWith(community_code, {scope:String})
GROUP BY unit_code ORDER BY unit_code
