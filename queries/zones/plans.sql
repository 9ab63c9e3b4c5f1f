-- Zone plans saved under the caller's jurisdiction, newest first, with whether and when each
-- was published (a plan is published when its zones are in the risk-zone table).
-- grain: plan; params: scope String
SELECT p.plan_id AS plan_id, p.name AS plan_name, p.author AS author, p.scope AS plan_scope,
       p.as_of AS as_of, p.created_at AS created_at, p.geometry AS geometry,
       z.zones > 0 AS published, z.published_at AS published_at
FROM epi.zone_plan AS p FINAL
LEFT JOIN
(
    SELECT plan_id, count() AS zones, min(start_at) AS published_at
    FROM epi.risk_zone WHERE plan_id > 0 GROUP BY plan_id
) AS z ON z.plan_id = p.plan_id
WHERE startsWith(p.scope, {scope:String})
ORDER BY p.plan_id DESC
