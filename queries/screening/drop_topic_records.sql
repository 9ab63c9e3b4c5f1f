-- Remove the records of a topic whose registration failed, so nothing is left half-written.
-- params: scope String, topic_id UInt16, batch_id String
DELETE FROM epi.screening_record
WHERE topic_id = {topic_id:UInt16} AND batch_id = {batch_id:String} AND startsWith(community_code, {scope:String})
