-- H3 cells that draw each unit on the map without a basemap: the cells around every
-- community centre (k-ring of the given size) at the given resolution, each cell given to the
-- unit holding most communities near it, with its outline as (lon, lat) points.
-- grain: cell; params: scope, unit, grain UInt8, resolution UInt8, ring UInt8
SELECT h3ToString(cell) AS hex, argMax(unit_code, n) AS unit_code,
       arrayMap(p -> [p.2, p.1], h3ToGeoBoundary(cell)) AS outline
FROM
(
    SELECT arrayJoin(h3kRing(geoToH3(lat, lon, {resolution:UInt8}), {ring:UInt8})) AS cell,
           substring(code, 1, {grain:UInt8}) AS unit_code, count() AS n
    FROM epi.community
    WHERE startsWith(code, {scope:String}) AND startsWith(code, {unit:String})
    GROUP BY cell, unit_code
)
GROUP BY cell
