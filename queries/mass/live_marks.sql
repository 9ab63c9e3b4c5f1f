-- Site leads' marks from the portal since a moment (Beijing time), newest first, with the
-- site's code and name. Read fresh on every refresh of the command view, never cached.
-- grain: mark; params: scope String, since DateTime (seconds, Beijing wall clock as 'YYYY-MM-DD hh:mm:ss')
SELECT
    m.mark_key AS mark_key, m.site_id AS site_id, s.site_code AS site_code, s.name AS site_name,
    toString(m.community_code) AS community_code, toString(m.state) AS state, m.queue_minutes AS queue_minutes,
    m.operator AS operator, m.operator_scope AS operator_scope, m.marked_at AS marked_at
FROM epi.site_mark AS m FINAL
INNER JOIN epi.sampling_site AS s ON s.site_id = m.site_id
WHERE m.marked_at >= toDateTime64({since:String}, 3, 'Asia/Shanghai')
  AND startsWith(m.community_code, {scope:String})
ORDER BY m.marked_at DESC, m.site_id
