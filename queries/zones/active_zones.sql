-- Risk zones in force at 24:00 of the as-of day (started by then, not yet lifted), seeded or
-- published from a plan, under the caller's jurisdiction (a district's low zone is shown to its
-- streets too), with the cases that caused them.
-- grain: zone; params: scope String, as_of Date
SELECT zone_id, toString(tier) AS tier, name AS zone_name, district_code, community_code, geometry,
       reason_case_ids, start_at, lifted_at, plan_id
FROM epi.risk_zone
WHERE start_at < toDateTime({as_of:Date} + 1, 'Asia/Shanghai')
  AND (lifted_at IS NULL OR lifted_at >= toDateTime({as_of:Date} + 1, 'Asia/Shanghai'))
  AND (startsWith(if(community_code = '', district_code, community_code), {scope:String})
       OR startsWith({scope:String}, district_code))
ORDER BY tier, start_at, zone_id
