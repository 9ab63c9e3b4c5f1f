-- People under control at 24:00 of the as-of day, by kind (centralized quarantine, home
-- quarantine, home health monitoring), with the figure a day earlier.
-- grain: unit = first {grain} digits of the community code (0 = whole city)
-- params: scope String (jurisdiction prefix), unit String (drill-down prefix), grain UInt8, as_of Date
SELECT
    substring(community_code, 1, {grain:UInt8}) AS unit_code,
    kind,
    sumIf(delta, day <= {as_of:Date}) AS now,
    sumIf(delta, day <= {as_of:Date} - 1) AS prev
FROM epi.agg_control_daily
WHERE startsWith(community_code, {scope:String}) AND startsWith(community_code, {unit:String})
  AND day <= {as_of:Date}
GROUP BY unit_code, kind
ORDER BY unit_code, kind
