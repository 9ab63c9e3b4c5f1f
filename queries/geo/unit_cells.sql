-- H3 cells that draw each unit on the map without a basemap: every community centre's cell at
-- the given resolution, each cell given to the unit holding most communities in it.
-- grain: cell; params: scope, unit, grain UInt8, resolution UInt8
SELECT h3ToString(cell) AS hex, argMax(unit_code, n) AS unit_code
FROM
(
    SELECT geoToH3(lat, lon, {resolution:UInt8}) AS cell, substring(code, 1, {grain:UInt8}) AS unit_code, count() AS n
    FROM epi.community
    WHERE startsWith(code, {scope:String}) AND startsWith(code, {unit:String})
    GROUP BY cell, unit_code
)
GROUP BY cell
