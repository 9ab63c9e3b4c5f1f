-- Save a zone plan as one row (so a plan is never half-written): name, author, jurisdiction,
-- the as-of day and a GeoJSON FeatureCollection holding one feature per tier. The next free
-- plan number is taken in the same statement.
-- params: scope String, plan_name String, author String, as_of Date, geometry String
INSERT INTO epi.zone_plan (plan_id, name, author, scope, as_of, created_at, status, geometry)
SELECT (SELECT ifNull(max(plan_id), 0) + 1 FROM epi.zone_plan), {plan_name:String}, {author:String},
       {scope:String}, {as_of:Date}, now('Asia/Shanghai'), 'draft', {geometry:String}
