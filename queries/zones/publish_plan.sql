-- Publish a plan: one risk-zone row per drawn tier, written in one statement, numbered from
-- first_zone_id (a block taken beforehand from the portal store's id series), only for a plan
-- of the caller's jurisdiction not yet published; provenance is the CDC's zone-delineation
-- category.
-- params: scope String, plan_id UInt32, first_zone_id UInt32, tiers Array(String),
--         zone_names Array(String), district_codes Array(String), geometries Array(String),
--         start_at String (Beijing time)
INSERT INTO epi.risk_zone (zone_id, tier, name, district_code, community_code, compound_id, geometry,
                           reason_case_ids, start_at, lifted_at, plan_id, src_department, src_category,
                           batch_id, source_row)
SELECT {first_zone_id:UInt32} + number,
       {tiers:Array(String)}[number + 1], {zone_names:Array(String)}[number + 1],
       {district_codes:Array(String)}[number + 1], '', 0, {geometries:Array(String)}[number + 1],
       [], toDateTime({start_at:String}, 'Asia/Shanghai'), NULL, {plan_id:UInt32}, 'CDC', 'CDC-05',
       concat('plan-', toString({plan_id:UInt32})), number + 1
FROM numbers(length({tiers:Array(String)}))
WHERE length({tiers:Array(String)}) = length({geometries:Array(String)})
  AND {plan_id:UInt32} IN (SELECT plan_id FROM epi.zone_plan WHERE startsWith(scope, {scope:String}))
  AND {plan_id:UInt32} NOT IN (SELECT plan_id FROM epi.risk_zone)
