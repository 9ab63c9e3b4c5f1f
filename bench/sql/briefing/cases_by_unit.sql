-- Naive, full shape of cockpit/cases_by_unit: every case read.
SELECT substring(community_code, 1, {grain:UInt8}) AS unit_code, toString(kind) AS kind,
       toUInt64(countIf(toDate(confirmed_at, 'Asia/Shanghai') = {as_of:Date})) AS today,
       toUInt64(countIf(toDate(confirmed_at, 'Asia/Shanghai') = {as_of:Date} - 1)) AS prev,
       toUInt64(count()) AS to_date
FROM epi.case_record
WHERE startsWith(community_code, {scope:String}) AND startsWith(community_code, {unit:String})
  AND toDate(confirmed_at, 'Asia/Shanghai') <= {as_of:Date}
GROUP BY unit_code, kind ORDER BY unit_code, kind
