-- The highest zone-plan, risk-zone and screening-topic numbers in the warehouse, whoever wrote
-- them (the seed, a department file, the portal): new numbers are taken above these from the
-- portal store's id series, which two saves at the same moment never share.
-- grain: one row; params: scope String. City-wide: it reads only three highest numbers (no
-- district's data), so it is the same for every jurisdiction.
SELECT (SELECT toUInt32(ifNull(max(plan_id), 0)) FROM epi.zone_plan) AS plan_id,
       (SELECT toUInt32(ifNull(max(zone_id), 0)) FROM epi.risk_zone) AS zone_id,
       (SELECT toUInt32(ifNull(max(topic_id), 0)) FROM epi.screening_topic) AS topic_id
WHERE {scope:String} = {scope:String}
