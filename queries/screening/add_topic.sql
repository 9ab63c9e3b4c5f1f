-- Register a new screening topic (after its records are written, so a topic never shows
-- without them). A topic is registered only when it holds records of the caller's
-- jurisdiction, so nobody names a topic over another district's people.
-- params: scope String, topic_id UInt16, topic_name String, window_start String, window_end String
--   (Beijing wall-clock 'YYYY-MM-DD hh:mm:ss'), departments Array(String)
INSERT INTO epi.screening_topic
SELECT {topic_id:UInt16}, {topic_name:String}, 0,
       toDateTime({window_start:String}, 'Asia/Shanghai'), toDateTime({window_end:String}, 'Asia/Shanghai'),
       now('Asia/Shanghai'), {departments:Array(String)}
WHERE {topic_id:UInt16} IN (SELECT topic_id FROM epi.screening_record
                           WHERE topic_id = {topic_id:UInt16} AND startsWith(community_code, {scope:String}))
