-- Emergency appeals still not handled at a moment (Beijing wall clock) more than
-- {emergency_hours} hours after they were received, and not closed: the cockpit's "emergencies
-- not handled within the limit" (appeals/handling_by_unit.sql) as one row per appeal.
-- grain: appeal; params: scope String, at String ('YYYY-MM-DD hh:mm:ss'), emergency_hours UInt8
SELECT
    concat('appeal:', toString(appeal_id)) AS subject_key,
    toString(community_code) AS area_code,
    toFloat64(dateDiff('minute', received_at, toDateTime({at:String}, 'Asia/Shanghai')) / 60) AS value,
    concat('紧急诉求 ', toString(appeal_id), '（', topic, '）受理于 ',
           formatDateTime(received_at, '%m-%d %H:%i', 'Asia/Shanghai'), '，至今未办结处置') AS detail
FROM epi.appeal
WHERE is_emergency = 1
  AND received_at + toIntervalHour({emergency_hours:UInt8}) < toDateTime({at:String}, 'Asia/Shanghai')
  AND NOT ifNull(handled_at < toDateTime({at:String}, 'Asia/Shanghai'), false)
  AND NOT ifNull(closed_at < toDateTime({at:String}, 'Asia/Shanghai'), false)
  AND startsWith(community_code, {scope:String})
ORDER BY received_at, appeal_id
