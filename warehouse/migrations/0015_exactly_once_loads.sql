-- Department file loads are all or nothing, and exactly once. A load stages its chunks in a
-- table of its own (no views attached) and, once the whole file is accounted for, moves them
-- into the theme table with one INSERT … SELECT carrying the batch's deduplication token, so
-- the views fire once. A move interrupted part-way and run again adds only the blocks that are
-- missing, in the theme table and in every table a view fills from it: that needs a
-- deduplication window on each of them (a replicated table has one by default, a plain
-- MergeTree only when told). The window would also drop a block identical to one inserted
-- shortly before into the same table, so every other write turns deduplication off
-- (warehouse.client: deduplicate_insert = 'disable' on ClickHouse 25.x and later, where it
-- supersedes insert_deduplicate).

ALTER TABLE epi.ingest_batch
    ADD COLUMN IF NOT EXISTS load_token String DEFAULT '' COMMENT 'deduplication token of the attempt that stages and moves the batch';

-- the theme tables fed by files, and the rejected rows
ALTER TABLE epi.person MODIFY SETTING non_replicated_deduplication_window = 10000;
ALTER TABLE epi.vaccination MODIFY SETTING non_replicated_deduplication_window = 10000;
ALTER TABLE epi.health_code_change MODIFY SETTING non_replicated_deduplication_window = 10000;
ALTER TABLE epi.trajectory_point MODIFY SETTING non_replicated_deduplication_window = 10000;
ALTER TABLE epi.sample MODIFY SETTING non_replicated_deduplication_window = 10000;
ALTER TABLE epi.site_status_report MODIFY SETTING non_replicated_deduplication_window = 10000;
ALTER TABLE epi.case_record MODIFY SETTING non_replicated_deduplication_window = 10000;
ALTER TABLE epi.contact_edge MODIFY SETTING non_replicated_deduplication_window = 10000;
ALTER TABLE epi.transfer MODIFY SETTING non_replicated_deduplication_window = 10000;
ALTER TABLE epi.control_episode MODIFY SETTING non_replicated_deduplication_window = 10000;
ALTER TABLE epi.screening_record MODIFY SETTING non_replicated_deduplication_window = 10000;
ALTER TABLE epi.appeal MODIFY SETTING non_replicated_deduplication_window = 10000;
ALTER TABLE epi.risk_zone MODIFY SETTING non_replicated_deduplication_window = 10000;
ALTER TABLE epi.compound MODIFY SETTING non_replicated_deduplication_window = 10000;
ALTER TABLE epi.place MODIFY SETTING non_replicated_deduplication_window = 10000;
ALTER TABLE epi.sampling_site MODIFY SETTING non_replicated_deduplication_window = 10000;
ALTER TABLE epi.quarantine_hotel MODIFY SETTING non_replicated_deduplication_window = 10000;
ALTER TABLE epi.supply_depot MODIFY SETTING non_replicated_deduplication_window = 10000;
ALTER TABLE epi.rejected_row MODIFY SETTING non_replicated_deduplication_window = 10000;

-- the tables materialized views fill from them
ALTER TABLE epi.trajectory_by_cell MODIFY SETTING non_replicated_deduplication_window = 10000;
ALTER TABLE epi.agg_control_daily MODIFY SETTING non_replicated_deduplication_window = 10000;
ALTER TABLE epi.agg_cases_daily MODIFY SETTING non_replicated_deduplication_window = 10000;
ALTER TABLE epi.agg_contacts_daily MODIFY SETTING non_replicated_deduplication_window = 10000;
ALTER TABLE epi.agg_site_state_daily MODIFY SETTING non_replicated_deduplication_window = 10000;
ALTER TABLE epi.agg_site_state_hourly MODIFY SETTING non_replicated_deduplication_window = 10000;
ALTER TABLE epi.agg_samples_hourly MODIFY SETTING non_replicated_deduplication_window = 10000;
ALTER TABLE epi.agg_appeals_daily MODIFY SETTING non_replicated_deduplication_window = 10000;
ALTER TABLE epi.agg_screening_daily MODIFY SETTING non_replicated_deduplication_window = 10000;
ALTER TABLE epi.agg_mass_round_daily MODIFY SETTING non_replicated_deduplication_window = 10000;
