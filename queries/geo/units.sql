-- The units one level below a drill-down prefix (districts, streets or communities) with
-- names and centres, under the caller's jurisdiction.
-- grain: unit; params: scope String, unit String, grain UInt8 (6, 9 or 12)
SELECT code AS unit_code, name, lon, lat FROM
(
    SELECT code, name, lon, lat, 6 AS len FROM epi.district
    UNION ALL SELECT code, name, lon, lat, 9 FROM epi.street
    UNION ALL SELECT code, name, lon, lat, 12 FROM epi.community
)
WHERE len = {grain:UInt8}
  AND (startsWith(code, {scope:String}) OR startsWith({scope:String}, code))
  AND startsWith(code, {unit:String})
ORDER BY code
