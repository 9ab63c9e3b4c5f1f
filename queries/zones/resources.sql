-- What a zone can draw on, as of 24:00 of the day: quarantine hotels with rooms and rooms in
-- use, supply depots with capacity, and coded sampling sites with hourly capacity and their
-- last reported state (a site never reported is taken as open).
-- grain: resource; params: scope String, as_of Date
SELECT 'hotel' AS kind, h.hotel_id AS resource_id, h.name AS resource_name, h.community_code AS community_code,
       h.lon AS lon, h.lat AS lat, toUInt32(h.rooms) AS capacity, toUInt32(ifNull(o.occupied, 0)) AS in_use,
       '' AS state, toUInt16(0) AS samplers
FROM epi.quarantine_hotel AS h
LEFT JOIN
(
    SELECT hotel_id, count() AS occupied
    FROM epi.control_episode
    WHERE hotel_id > 0
      AND toDate(quarantine_start, 'Asia/Shanghai') <= {as_of:Date}
      AND toDate(quarantine_end, 'Asia/Shanghai') > {as_of:Date}
    GROUP BY hotel_id
) AS o ON o.hotel_id = h.hotel_id
WHERE startsWith(h.community_code, {scope:String})

UNION ALL

SELECT 'depot', depot_id, name, community_code, lon, lat, capacity_tonnes, 0, kind, 0
FROM epi.supply_depot
WHERE startsWith(community_code, {scope:String})

UNION ALL

SELECT 'site', s.site_id, concat(s.site_code, ' ', s.name), s.community_code, s.lon, s.lat,
       s.capacity_per_hour, 0, if(r.state = '', 'clear', r.state), s.samplers
FROM epi.sampling_site AS s
LEFT JOIN
(
    SELECT site_id, toString(argMax(state, ts)) AS state
    FROM epi.site_status_report
    WHERE ts < toDateTime({as_of:Date} + 1, 'Asia/Shanghai')
    GROUP BY site_id
) AS r ON r.site_id = s.site_id
WHERE startsWith(s.community_code, {scope:String})
