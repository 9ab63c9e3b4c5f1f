-- One site's status reports on a day, in time order (the site card).
-- grain: report; params: scope String, site_id UInt32, day Date
SELECT ts, toString(state) AS state, queue_minutes, reported_by, toString(channel) AS channel
FROM epi.site_status_report
WHERE site_id = {site_id:UInt32}
  AND ts >= toDateTime({day:Date}, 'Asia/Shanghai') AND ts < toDateTime({day:Date} + 1, 'Asia/Shanghai')
  AND startsWith(community_code, {scope:String})
ORDER BY ts
