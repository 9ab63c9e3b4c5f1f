-- A register the seed generates (residents, compounds, places, sites, hotels, depots) arrives
-- whole with the departments' first daily files: its rows name the batch of the story's first
-- day for their category.
ALTER TABLE epi.{table:Identifier}
UPDATE batch_id = concat({batch_id:String}, '-', {table:String}, '-', src_category, '-',
                         formatDateTime({story_start:Date}, '%Y%m%d'))
WHERE batch_id = {batch_id:String}
SETTINGS mutations_sync = 2;
