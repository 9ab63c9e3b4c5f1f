-- Store one site lead's mark, unless a mark with the same key is already stored (a form sent
-- twice writes one row). The caller checked the site, the wait and the jurisdiction first.
-- params: scope String, mark_key String, site_id UInt32, state String, queue_minutes UInt16,
--   operator String, operator_scope String
INSERT INTO epi.site_mark (mark_key, site_id, community_code, state, queue_minutes, operator, operator_scope,
                           marked_at, channel)
SELECT {mark_key:String}, site_id, community_code, {state:String}, {queue_minutes:UInt16}, {operator:String},
       {operator_scope:String}, now64(3, 'Asia/Shanghai'), 'portal'
FROM epi.sampling_site
WHERE site_id = {site_id:UInt32} AND startsWith(community_code, {scope:String})
  AND {mark_key:String} NOT IN (SELECT mark_key FROM epi.site_mark WHERE site_id = {site_id:UInt32})
