-- Naive, full shape of cockpit/appeals_by_unit: every appeal read, its working-day deadline
-- worked out row by row on the same calendar.
SELECT
    substring(community_code, 1, {grain:UInt8}) AS unit_code,
    toUInt64(countIf(received_day = {as_of:Date})) AS received,
    toUInt64(countIf(received_day = {as_of:Date} - 1)) AS received_prev,
    toUInt64(countIf(closed_day = {as_of:Date})) AS closed,
    toUInt64(countIf(closed_day = {as_of:Date} - 1)) AS closed_prev,
    toUInt64(countIf(closed_day > {as_of:Date} AND worked_before_as_of - worked_on_receipt >= limit_days)) AS overdue,
    toUInt64(countIf(closed_day > {as_of:Date} - 1 AND received_day < {as_of:Date}
                     AND worked_before_prev - worked_on_receipt >= limit_days)) AS overdue_prev,
    toUInt64(countIf(closed_day > {as_of:Date})) AS open_now
FROM
(
    SELECT community_code, received_day, closed_day,
           {limit_days:Array(UInt16)}[indexOf({types:Array(String)}, type)] AS limit_days,
           {cal_cum:Array(UInt32)}[dateDiff('day', {cal_from:Date}, received_day) + 1] AS worked_on_receipt,
           {cal_cum:Array(UInt32)}[dateDiff('day', {cal_from:Date}, {as_of:Date} - 1) + 1] AS worked_before_as_of,
           {cal_cum:Array(UInt32)}[dateDiff('day', {cal_from:Date}, {as_of:Date} - 2) + 1] AS worked_before_prev
    FROM
    (
        SELECT community_code, toString(type) AS type, toDate(received_at, 'Asia/Shanghai') AS received_day,
               if(closed_at IS NULL, toDate('2149-06-06'), toDate(assumeNotNull(closed_at), 'Asia/Shanghai')) AS closed_day
        FROM epi.appeal
    )
    WHERE startsWith(community_code, {scope:String}) AND startsWith(community_code, {unit:String})
      AND received_day <= {as_of:Date}
)
GROUP BY unit_code
ORDER BY unit_code
