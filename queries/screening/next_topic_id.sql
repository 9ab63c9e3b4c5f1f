-- The number a new screening topic gets.
-- grain: one row; params: scope String. Topic numbers are one city-wide counter: this reads
-- only the highest number (no district's data), so it is the same for every jurisdiction.
SELECT toUInt16(ifNull(max(topic_id), 0) + 1) AS topic_id
FROM epi.screening_topic
WHERE {scope:String} = {scope:String}
