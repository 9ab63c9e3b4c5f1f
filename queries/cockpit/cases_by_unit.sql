-- New confirmed and asymptomatic cases on the as-of day and the day before, and to date.
-- grain: unit × kind; params: scope, unit, grain, as_of
SELECT
    substring(community_code, 1, {grain:UInt8}) AS unit_code,
    kind,
    sumIf(cases, day = {as_of:Date}) AS today,
    sumIf(cases, day = {as_of:Date} - 1) AS prev,
    sum(cases) AS to_date
FROM epi.agg_cases_daily
WHERE startsWith(community_code, {scope:String}) AND startsWith(community_code, {unit:String})
  AND day <= {as_of:Date}
GROUP BY unit_code, kind
ORDER BY unit_code, kind
