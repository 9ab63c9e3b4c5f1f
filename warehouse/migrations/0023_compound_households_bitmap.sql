-- Residents of each compound, as 0013's projection, with the households kept as a bitmap of
-- household ids (groupBitmap, exact) instead of a hash set (uniqExact): the zone page's compound
-- profile merges one state per compound and part, and bitmaps of the compound's neighbouring
-- household ids merge in a fraction of the time. The new projection replaces 0013's; queries
-- that count households by compound ask for groupBitmap(household_id).

ALTER TABLE epi.person
    ADD PROJECTION IF NOT EXISTS residents_by_compound_v2
    (
        SELECT community_code, compound_id, count(), groupBitmap(household_id), sum(is_owner),
               sum(aged_80_plus), sum(pregnant), sum(dialysis), sum(disabled), sum(infant)
        GROUP BY community_code, compound_id
    );

ALTER TABLE epi.person MATERIALIZE PROJECTION residents_by_compound_v2 SETTINGS mutations_sync = 2;

ALTER TABLE epi.person DROP PROJECTION IF EXISTS residents_by_compound;
