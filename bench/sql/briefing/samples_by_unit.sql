-- Naive, full shape of cockpit/samples_by_unit: every sample read, pending worked out from its
-- own sampling and result times and counted in distinct tubes.
SELECT
    substring(community_code, 1, {grain:UInt8}) AS unit_code,
    toUInt64(countIf(toDate(sampled_at, 'Asia/Shanghai') = {as_of:Date})) AS taken,
    toUInt64(countIf(toDate(sampled_at, 'Asia/Shanghai') = {as_of:Date} - 1)) AS taken_prev,
    toUInt64(uniqExactIf(tube_id, open_at > {as_of:Date}
        AND sampled_at < toDateTime({as_of:Date} + 1, 'Asia/Shanghai') - toIntervalHour({pending_a:UInt8}))) AS pending_a,
    toUInt64(uniqExactIf(tube_id, open_at > {as_of:Date}
        AND sampled_at < toDateTime({as_of:Date} + 1, 'Asia/Shanghai') - toIntervalHour({pending_b:UInt8}))) AS pending_b,
    toUInt64(uniqExactIf(tube_id, open_at > {as_of:Date} - 1
        AND sampled_at < toDateTime({as_of:Date}, 'Asia/Shanghai') - toIntervalHour({pending_a:UInt8}))) AS pending_a_prev,
    toUInt64(uniqExactIf(tube_id, open_at > {as_of:Date} - 1
        AND sampled_at < toDateTime({as_of:Date}, 'Asia/Shanghai') - toIntervalHour({pending_b:UInt8}))) AS pending_b_prev
FROM
(
    SELECT community_code, tube_id, sampled_at,
           if(result_at IS NULL, toDate('2149-06-06'), toDate(assumeNotNull(result_at), 'Asia/Shanghai')) AS open_at
    FROM epi.sample
)
WHERE startsWith(community_code, {scope:String}) AND startsWith(community_code, {unit:String})
  AND open_at >= {as_of:Date} - 1
  AND sampled_at < toDateTime({as_of:Date} + 1, 'Asia/Shanghai')
GROUP BY unit_code
ORDER BY unit_code
