-- Dispatch a topic: every primary record not yet dispatched, with a residence, in the caller's
-- jurisdiction, in one statement (so a dispatch is whole or nothing, and a second one adds none).
-- params: scope String, topic_id UInt16, dispatcher String
INSERT INTO epi.screening_dispatch (record_id, topic_id, community_code, dispatched_at, dispatcher, dispatcher_scope)
SELECT record_id, topic_id, community_code, now64(3, 'Asia/Shanghai'), {dispatcher:String}, {scope:String}
FROM epi.screening_record
WHERE topic_id = {topic_id:UInt16} AND is_primary = 1 AND dispatched_at IS NULL AND community_code != ''
  AND startsWith(community_code, {scope:String})
  AND record_id NOT IN (SELECT record_id FROM epi.screening_dispatch WHERE topic_id = {topic_id:UInt16})
