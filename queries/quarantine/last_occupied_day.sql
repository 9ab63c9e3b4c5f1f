-- The last day at whose 24:00 someone was staying in a quarantine hotel of the jurisdiction
-- (the quarantine page opens on it; after it the hotels are empty).
-- grain: one row; params: scope String
SELECT max(toDate(e.quarantine_end - toIntervalSecond(1), 'Asia/Shanghai')) - 1 AS last_day
FROM epi.control_episode AS e
INNER JOIN epi.quarantine_hotel AS h ON h.hotel_id = e.hotel_id
WHERE e.kind = 'close_contact' AND e.hotel_id > 0 AND e.quarantine_end > e.quarantine_start + toIntervalDay(1)
  AND startsWith(h.community_code, {scope:String})
