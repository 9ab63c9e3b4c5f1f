-- Citizen appeals received per day, by channel, type and topic (emergencies apart).
-- grain: day × channel × type × topic × is_emergency; params: scope String, unit String,
--   date_from Date, as_of Date
SELECT
    toDate(received_at, 'Asia/Shanghai') AS day,
    channel,
    toString(type) AS type,
    topic,
    is_emergency,
    count() AS appeals
FROM epi.appeal
WHERE received_at >= toDateTime({date_from:Date}, 'Asia/Shanghai')
  AND received_at < toDateTime({as_of:Date} + 1, 'Asia/Shanghai')
  AND startsWith(community_code, {scope:String}) AND startsWith(community_code, {unit:String})
GROUP BY day, channel, type, topic, is_emergency
ORDER BY day, channel, type, topic, is_emergency
