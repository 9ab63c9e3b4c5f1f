-- Append one verification outcome, unless an outcome with the same key is stored already (a
-- form sent twice writes one row), and only for a record inside the caller's jurisdiction.
-- params: scope String, outcome_key String, record_id UInt64, outcome String, escalated UInt8,
--   note String, operator String, operator_scope String
INSERT INTO epi.screening_outcome (outcome_key, record_id, topic_id, community_code, outcome, escalated, note,
                                   operator, operator_scope, recorded_at)
SELECT {outcome_key:String}, record_id, topic_id, community_code, {outcome:String}, {escalated:UInt8}, {note:String},
       {operator:String}, {operator_scope:String}, now64(3, 'Asia/Shanghai')
FROM epi.screening_record
WHERE record_id = {record_id:UInt64} AND startsWith(community_code, {scope:String})
  AND {outcome_key:String} NOT IN (SELECT outcome_key FROM epi.screening_outcome WHERE record_id = {record_id:UInt64})
