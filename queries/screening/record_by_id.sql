-- One screening record by its id (empty when there is none): where it belongs, for the
-- jurisdiction check before an outcome is stored.
-- grain: record; params: scope String, record_id UInt64
SELECT record_id, topic_id, community_code, district_code, is_primary, dispatched_at
FROM epi.screening_record
WHERE record_id = {record_id:UInt64} AND startsWith(community_code, {scope:String})
