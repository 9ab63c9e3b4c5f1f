-- Citizen appeals received and closed on the as-of day, and those still open at 24:00 past
-- their type's time limit (calendar days, a setting per type); with the day before.
-- grain: unit; params: scope, unit, grain, as_of, types Array(String), limit_days Array(UInt16)
SELECT
    substring(community_code, 1, {grain:UInt8}) AS unit_code,
    sumIf(appeals, received_day = {as_of:Date}) AS received,
    sumIf(appeals, received_day = {as_of:Date} - 1) AS received_prev,
    sumIf(appeals, closed_day = {as_of:Date}) AS closed,
    sumIf(appeals, closed_day = {as_of:Date} - 1) AS closed_prev,
    sumIf(appeals, closed_day > {as_of:Date} AND received_day + limit_days < {as_of:Date}) AS overdue,
    sumIf(appeals, closed_day > {as_of:Date} - 1 AND received_day + limit_days < {as_of:Date} - 1) AS overdue_prev,
    sumIf(appeals, closed_day > {as_of:Date}) AS open_now
FROM
(
    SELECT community_code, received_day, closed_day, appeals,
           {limit_days:Array(UInt16)}[indexOf({types:Array(String)}, type)] AS limit_days
    FROM epi.agg_appeals_daily
    WHERE startsWith(community_code, {scope:String}) AND startsWith(community_code, {unit:String})
      AND received_day <= {as_of:Date}
)
GROUP BY unit_code
ORDER BY unit_code
