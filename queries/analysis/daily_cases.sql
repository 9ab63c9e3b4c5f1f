-- New cases (confirmed and asymptomatic together) by day of confirmation and unit, for the
-- reproduction number and the projection; days without a case have no row.
-- grain: day × unit (first {grain} digits of the community code, 0 = whole city)
-- params: scope String, unit String, grain UInt8, date_from Date, as_of Date
SELECT day, substring(community_code, 1, {grain:UInt8}) AS unit_code, toUInt64(sum(cases)) AS cases
FROM epi.agg_cases_daily
WHERE startsWith(community_code, {scope:String}) AND startsWith(community_code, {unit:String})
  AND day BETWEEN {date_from:Date} AND {as_of:Date}
GROUP BY day, unit_code
ORDER BY day, unit_code
