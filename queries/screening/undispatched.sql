-- A topic's primary records not yet dispatched (in the caller's jurisdiction), and how many of
-- them lack a residence to dispatch to.
-- grain: topic; params: scope String, topic_id UInt16
SELECT toUInt64(countIf(community_code != '')) AS ready, toUInt64(countIf(community_code = '')) AS no_residence
FROM epi.screening_record
WHERE topic_id = {topic_id:UInt16} AND is_primary = 1 AND dispatched_at IS NULL
  AND (startsWith(community_code, {scope:String}) OR community_code = '')
  AND record_id NOT IN (SELECT record_id FROM epi.screening_dispatch WHERE topic_id = {topic_id:UInt16})
