-- Naive baseline for cockpit/cases_by_unit: scan every case.
SELECT substring(community_code, 1, {grain:UInt8}) AS unit_code, toString(kind) AS kind,
       countIf(toDate(confirmed_at, 'Asia/Shanghai') = {as_of:Date}) AS today
FROM epi.case_record
WHERE startsWith(community_code, {scope:String}) AND toDate(confirmed_at, 'Asia/Shanghai') <= {as_of:Date}
GROUP BY unit_code, kind ORDER BY unit_code, kind
