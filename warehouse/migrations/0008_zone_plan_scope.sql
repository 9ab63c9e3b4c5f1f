-- Zone plans carry the jurisdiction they were drawn under (a district operator lists only the
-- plans of their own district) and the as-of day whose cases and residents they were weighed on.

ALTER TABLE epi.zone_plan
    ADD COLUMN IF NOT EXISTS scope String DEFAULT '' COMMENT 'jurisdiction code prefix of the author'
    AFTER author;

ALTER TABLE epi.zone_plan
    ADD COLUMN IF NOT EXISTS as_of Date COMMENT 'the day the plan was weighed on'
    AFTER scope;
