-- Register a new screening topic (after its records are written, so a topic never shows
-- without them).
-- params: scope String, topic_id UInt16, topic_name String, window_start String, window_end String
--   (Beijing wall-clock 'YYYY-MM-DD hh:mm:ss'), departments Array(String)
INSERT INTO epi.screening_topic
SELECT {topic_id:UInt16}, {topic_name:String}, 0,
       toDateTime({window_start:String}, 'Asia/Shanghai'), toDateTime({window_end:String}, 'Asia/Shanghai'),
       now('Asia/Shanghai'), {departments:Array(String)}
WHERE {scope:String} = {scope:String}
