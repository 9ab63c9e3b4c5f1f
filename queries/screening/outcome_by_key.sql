-- One stored outcome by its submission key (empty when the key is new).
-- grain: outcome; params: scope String, outcome_key String
SELECT outcome_key, record_id, toString(outcome) AS outcome, operator, recorded_at
FROM epi.screening_outcome
WHERE outcome_key = {outcome_key:String} AND startsWith(community_code, {scope:String})
