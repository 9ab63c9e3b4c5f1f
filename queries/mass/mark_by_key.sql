-- One stored mark by its idempotency key (empty when the key is new).
-- grain: mark; params: scope String, mark_key String
SELECT mark_key, site_id, toString(state) AS state, queue_minutes, operator, marked_at
FROM epi.site_mark FINAL
WHERE mark_key = {mark_key:String} AND startsWith(community_code, {scope:String})
