-- The outcomes recorded in the portal for one record, latest first (to tell a resend apart).
-- grain: outcome; params: scope String, record_id UInt64
SELECT outcome_key, toString(outcome) AS outcome, note, operator, recorded_at,
       dateDiff('second', recorded_at, now64(3, 'Asia/Shanghai')) AS age_s
FROM epi.screening_outcome
WHERE record_id = {record_id:UInt64} AND startsWith(community_code, {scope:String})
ORDER BY recorded_at DESC
