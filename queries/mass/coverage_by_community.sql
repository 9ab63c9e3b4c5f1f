-- Sampling coverage by community: residents, sites, samplers, hourly capacity, and the
-- farthest a compound lies from its nearest site in the same street (the 15-minute circle;
-- sites of the whole street count, even when the unit is one community).
-- params also: walk_m UInt32 (metres of the walking circle)
-- grain: community; params: scope String, unit String
SELECT
    c.code AS community_code, c.name AS community_name, c.street_code AS street_code, st.name AS street_name,
    ifNull(p.residents, 0) AS residents, ifNull(s.sites, 0) AS sites, ifNull(s.samplers, 0) AS samplers,
    ifNull(s.capacity_per_hour, 0) AS capacity_per_hour, ifNull(g.farthest_m, 0) AS farthest_m,
    ifNull(g.compounds_outside, 0) AS compounds_outside, ifNull(g.compounds, 0) AS compounds
FROM epi.community AS c
INNER JOIN epi.street AS st ON st.code = c.street_code
LEFT JOIN
(
    -- answered from the registry's residents_by_compound_v2 projection, not every person row
    SELECT toString(community_code) AS community_code, count() AS residents
    FROM epi.person
    WHERE startsWith(community_code, {scope:String}) AND startsWith(community_code, {unit:String})
    GROUP BY community_code
) AS p ON p.community_code = c.code
LEFT JOIN
(
    SELECT toString(community_code) AS community_code, count() AS sites, sum(samplers) AS samplers,
           sum(capacity_per_hour) AS capacity_per_hour
    FROM epi.sampling_site
    WHERE startsWith(community_code, {scope:String}) AND startsWith(community_code, {unit:String})
    GROUP BY community_code
) AS s ON s.community_code = c.code
LEFT JOIN
(
    SELECT community_code, max(nearest_m) AS farthest_m, countIf(nearest_m > {walk_m:UInt32}) AS compounds_outside,
           count() AS compounds
    FROM
    (
        SELECT toString(k.community_code) AS community_code, k.compound_id,
               min(greatCircleDistance(k.lon, k.lat, x.lon, x.lat)) AS nearest_m
        FROM epi.compound AS k
        INNER JOIN
        (
            SELECT substring(community_code, 1, 9) AS street_code, lon, lat FROM epi.sampling_site
            WHERE startsWith(community_code, substring({scope:String}, 1, 9))
              AND startsWith(community_code, substring({unit:String}, 1, 9))
        ) AS x ON x.street_code = substring(k.community_code, 1, 9)
        WHERE startsWith(k.community_code, {scope:String}) AND startsWith(k.community_code, {unit:String})
        GROUP BY community_code, k.compound_id
    )
    GROUP BY community_code
) AS g ON g.community_code = c.code
WHERE startsWith(c.code, {scope:String}) AND startsWith(c.code, {unit:String})
ORDER BY c.code
