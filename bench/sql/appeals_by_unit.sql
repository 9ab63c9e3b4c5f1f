-- Naive baseline for cockpit/appeals_by_unit: scan every appeal.
SELECT substring(community_code, 1, {grain:UInt8}) AS unit_code,
       countIf(toDate(received_at, 'Asia/Shanghai') = {as_of:Date}) AS received
FROM epi.appeal
WHERE startsWith(community_code, {scope:String})
GROUP BY unit_code ORDER BY unit_code
