-- The number a new screening topic gets.
-- grain: one row; params: scope String (topics are city-wide; the scope is checked by the caller)
SELECT toUInt16(ifNull(max(topic_id), 0) + 1) AS topic_id
FROM epi.screening_topic
WHERE {scope:String} = {scope:String}
