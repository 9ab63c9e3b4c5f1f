-- Citizen appeals received and closed on the as-of day, and those still open at 24:00 past
-- their type's time limit in WORKING days (a setting per type; the deadline is the Nth
-- working day after the day received); with the day before.
-- Working days come as a calendar: cal_cum[i] = working days from cal_from to cal_from + i - 1,
-- so the working days in (a, b] are cal_cum[b] - cal_cum[a].
-- grain: unit; params: scope, unit, grain, as_of, types Array(String), limit_days Array(UInt16),
--   cal_from Date, cal_cum Array(UInt32)
SELECT
    substring(community_code, 1, {grain:UInt8}) AS unit_code,
    sumIf(appeals, received_day = {as_of:Date}) AS received,
    sumIf(appeals, received_day = {as_of:Date} - 1) AS received_prev,
    sumIf(appeals, closed_day = {as_of:Date}) AS closed,
    sumIf(appeals, closed_day = {as_of:Date} - 1) AS closed_prev,
    sumIf(appeals, closed_day > {as_of:Date} AND worked_before_as_of - worked_on_receipt >= limit_days) AS overdue,
    sumIf(appeals, closed_day > {as_of:Date} - 1 AND received_day < {as_of:Date}
                   AND worked_before_prev - worked_on_receipt >= limit_days) AS overdue_prev,
    sumIf(appeals, closed_day > {as_of:Date}) AS open_now
FROM
(
    SELECT community_code, received_day, closed_day, appeals,
           {limit_days:Array(UInt16)}[indexOf({types:Array(String)}, type)] AS limit_days,
           {cal_cum:Array(UInt32)}[dateDiff('day', {cal_from:Date}, received_day) + 1] AS worked_on_receipt,
           {cal_cum:Array(UInt32)}[dateDiff('day', {cal_from:Date}, {as_of:Date} - 1) + 1] AS worked_before_as_of,
           {cal_cum:Array(UInt32)}[dateDiff('day', {cal_from:Date}, {as_of:Date} - 2) + 1] AS worked_before_prev
    FROM epi.agg_appeals_daily
    WHERE startsWith(community_code, {scope:String}) AND startsWith(community_code, {unit:String})
      AND received_day <= {as_of:Date}
)
GROUP BY unit_code
ORDER BY unit_code
