-- Register a new screening topic (after its records are written, so a topic never shows
-- without them).
-- params: scope String, topic_id UInt16, name String, window_start DateTime, window_end DateTime,
--   departments Array(String)
INSERT INTO epi.screening_topic
SELECT {topic_id:UInt16}, {name:String}, 0,
       toDateTime({window_start:DateTime}, 'Asia/Shanghai'), toDateTime({window_end:DateTime}, 'Asia/Shanghai'),
       now('Asia/Shanghai'), {departments:Array(String)}
WHERE {scope:String} = {scope:String}
