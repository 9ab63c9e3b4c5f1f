-- How long a person stayed at each trajectory point: minutes until their next point (1440 when
-- the day's last point leaves it open). Space-time questions read it from the (cell, time) copy
-- instead of looking up every resident's next point at query time.

ALTER TABLE epi.trajectory_point
    ADD COLUMN IF NOT EXISTS dwell_minutes UInt16 DEFAULT 0 COMMENT 'minutes until the next point, 1440 if none that day'
    AFTER place_id;

ALTER TABLE epi.trajectory_by_cell
    ADD COLUMN IF NOT EXISTS dwell_minutes UInt16 DEFAULT 0;

DROP VIEW IF EXISTS epi.trajectory_by_cell_mv;

-- geoToH3 takes (lat, lon) on ClickHouse 25.x and later (setting geotoh3_argument_order).
CREATE MATERIALIZED VIEW IF NOT EXISTS epi.trajectory_by_cell_mv TO epi.trajectory_by_cell AS
SELECT geoToH3(lat, lon, 8) AS cell, ts, person_id, place_id, dwell_minutes
FROM epi.trajectory_point;
