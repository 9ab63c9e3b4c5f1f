-- Save a zone plan as one row (so a plan is never half-written): its number (taken beforehand
-- from the portal store's id series, never max() + 1, which two saves at once would share),
-- name, author, jurisdiction, the as-of day and a GeoJSON FeatureCollection holding one feature
-- per tier.
-- params: scope String, plan_id UInt32, plan_name String, author String, as_of Date, geometry String
INSERT INTO epi.zone_plan (plan_id, name, author, scope, as_of, created_at, status, geometry)
SELECT {plan_id:UInt32}, {plan_name:String}, {author:String},
       {scope:String}, {as_of:Date}, now('Asia/Shanghai'), 'draft', {geometry:String}
