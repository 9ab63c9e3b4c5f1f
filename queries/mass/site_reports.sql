-- One site's status reports on a day up to the end of an hour, in time order (the site card
-- at {hour}:59 lists nothing reported later).
-- grain: report; params: scope String, site_id UInt32, day Date, hour UInt8 (0–23)
SELECT ts, toString(state) AS state, queue_minutes, reported_by, toString(channel) AS channel
FROM epi.site_status_report
WHERE site_id = {site_id:UInt32}
  AND ts >= toDateTime({day:Date}, 'Asia/Shanghai')
  AND ts < toDateTime({day:Date}, 'Asia/Shanghai') + toIntervalHour({hour:UInt8} + 1)
  AND startsWith(community_code, {scope:String})
ORDER BY ts
