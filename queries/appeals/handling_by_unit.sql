-- The handling of citizen appeals by unit one level down and by type, at 24:00 of the as-of day.
-- Of the appeals received from date_from to as_of: how many reached each step of the closed
-- loop (received → dispatched → handled → replied → closed → rated) by 24:00, the minutes each
-- step took (sums, so units add up), those closed after their deadline, emergencies not
-- handled within emergency_hours, and the ratings. Of every appeal received up to as_of: those
-- still open at 24:00 past their deadline (overdue, as on the cockpit).
-- Deadline: the type's limit in WORKING days, counted from the working day after receipt;
-- cal_cum[i] = working days from cal_from to cal_from + i - 1 (portal/workdays.py), so the
-- working days in (a, b] are cal_cum[b] - cal_cum[a].
-- grain: unit × type; params: scope, unit, grain UInt8, date_from Date, as_of Date,
--   types Array(String), limit_days Array(UInt16), cal_from Date, cal_cum Array(UInt32),
--   emergency_hours UInt8
SELECT
    substring(community_code, 1, {grain:UInt8}) AS unit_code,
    type,
    countIf(in_window) AS received,
    countIf(in_window AND reached_dispatched) AS dispatched,
    countIf(in_window AND reached_handled) AS handled,
    countIf(in_window AND reached_replied) AS replied,
    countIf(in_window AND reached_closed) AS closed,
    countIf(in_window AND reached_rated) AS rated,
    sumIf(dateDiff('minute', received_at, assumeNotNull(dispatched_at)), in_window AND reached_dispatched) AS minutes_dispatched,
    sumIf(dateDiff('minute', assumeNotNull(dispatched_at), assumeNotNull(handled_at)), in_window AND reached_handled) AS minutes_handled,
    sumIf(dateDiff('minute', assumeNotNull(handled_at), assumeNotNull(replied_at)), in_window AND reached_replied) AS minutes_replied,
    sumIf(dateDiff('minute', assumeNotNull(replied_at), assumeNotNull(closed_at)), in_window AND reached_closed) AS minutes_closed,
    sumIf(dateDiff('minute', assumeNotNull(closed_at), assumeNotNull(rated_at)), in_window AND reached_rated) AS minutes_rated,
    countIf(in_window AND reached_closed AND worked_before_close - worked_on_receipt >= limit_days) AS closed_late,
    countIf(NOT reached_closed AND worked_before_as_of - worked_on_receipt >= limit_days) AS overdue,
    countIf(NOT reached_closed) AS open_now,
    countIf(in_window AND is_emergency = 1) AS emergencies,
    countIf(in_window AND is_emergency = 1
            AND received_at + toIntervalHour({emergency_hours:UInt8}) < t_end
            AND NOT ifNull(handled_at <= received_at + toIntervalHour({emergency_hours:UInt8}), false)) AS emergencies_late,
    sumIf(assumeNotNull(rating), in_window AND reached_rated) AS rating_sum,
    countIf(in_window AND reached_rated AND assumeNotNull(rating) >= 4) AS satisfied,
    countIf(in_window AND reached_rated AND assumeNotNull(rating) = 1) AS stars_1,
    countIf(in_window AND reached_rated AND assumeNotNull(rating) = 2) AS stars_2,
    countIf(in_window AND reached_rated AND assumeNotNull(rating) = 3) AS stars_3,
    countIf(in_window AND reached_rated AND assumeNotNull(rating) = 4) AS stars_4,
    countIf(in_window AND reached_rated AND assumeNotNull(rating) = 5) AS stars_5
FROM
(
    SELECT
        community_code, toString(type) AS type, is_emergency, rating,
        received_at, dispatched_at, handled_at, replied_at, closed_at, rated_at,
        toDateTime({as_of:Date} + 1, 'Asia/Shanghai') AS t_end,
        received_at >= toDateTime({date_from:Date}, 'Asia/Shanghai') AS in_window,
        ifNull(dispatched_at < t_end, false) AS reached_dispatched,
        ifNull(handled_at < t_end, false) AS reached_handled,
        ifNull(replied_at < t_end, false) AS reached_replied,
        ifNull(closed_at < t_end, false) AS reached_closed,
        ifNull(rated_at < t_end, false) AS reached_rated,
        {limit_days:Array(UInt16)}[indexOf({types:Array(String)}, toString(type))] AS limit_days,
        {cal_cum:Array(UInt32)}[dateDiff('day', {cal_from:Date}, toDate(received_at, 'Asia/Shanghai')) + 1] AS worked_on_receipt,
        {cal_cum:Array(UInt32)}[dateDiff('day', {cal_from:Date}, {as_of:Date} - 1) + 1] AS worked_before_as_of,
        if(reached_closed, {cal_cum:Array(UInt32)}[dateDiff('day', {cal_from:Date}, toDate(assumeNotNull(closed_at), 'Asia/Shanghai') - 1) + 1],
           toUInt32(0)) AS worked_before_close
    FROM epi.appeal
    WHERE received_at < toDateTime({as_of:Date} + 1, 'Asia/Shanghai')
      AND startsWith(community_code, {scope:String}) AND startsWith(community_code, {unit:String})
)
GROUP BY unit_code, type
ORDER BY unit_code, type
