-- Appeals still open at 24:00 of the as-of day past their type's limit in working days (see
-- handling_by_unit.sql for the calendar), longest waiting first, with the step they stopped at.
-- grain: appeal; params: scope, unit, as_of Date, types Array(String), limit_days Array(UInt16),
--   cal_from Date, cal_cum Array(UInt32)
SELECT appeal_id, type, topic, channel, is_emergency, community_code, received_at, stage,
       worked_days, limit_days
FROM
(
    SELECT
        appeal_id, toString(type) AS type, topic, channel, is_emergency, community_code, received_at,
        toDateTime({as_of:Date} + 1, 'Asia/Shanghai') AS t_end,
        multiIf(ifNull(replied_at < t_end, false), 'replied', ifNull(handled_at < t_end, false), 'handled',
                ifNull(dispatched_at < t_end, false), 'dispatched', 'received') AS stage,
        {limit_days:Array(UInt16)}[indexOf({types:Array(String)}, toString(type))] AS limit_days,
        {cal_cum:Array(UInt32)}[dateDiff('day', {cal_from:Date}, {as_of:Date}) + 1]
            - {cal_cum:Array(UInt32)}[dateDiff('day', {cal_from:Date}, toDate(received_at, 'Asia/Shanghai')) + 1] AS worked_days,
        {cal_cum:Array(UInt32)}[dateDiff('day', {cal_from:Date}, {as_of:Date} - 1) + 1]
            - {cal_cum:Array(UInt32)}[dateDiff('day', {cal_from:Date}, toDate(received_at, 'Asia/Shanghai')) + 1] AS worked_before_as_of,
        closed_at
    FROM epi.appeal
    WHERE received_at < toDateTime({as_of:Date} + 1, 'Asia/Shanghai')
      AND startsWith(community_code, {scope:String}) AND startsWith(community_code, {unit:String})
)
WHERE NOT ifNull(closed_at < t_end, false) AND worked_before_as_of >= limit_days
ORDER BY received_at, appeal_id
