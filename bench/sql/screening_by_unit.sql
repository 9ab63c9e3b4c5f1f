-- Naive baseline for cockpit/screening_by_unit: scan every screening record.
SELECT substring(community_code, 1, {grain:UInt8}) AS unit_code,
       countIf(is_primary = 1 AND toDate(dispatched_at, 'Asia/Shanghai') = {as_of:Date}) AS dispatched
FROM epi.screening_record
WHERE startsWith(community_code, {scope:String})
GROUP BY unit_code ORDER BY unit_code
