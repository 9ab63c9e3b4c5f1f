-- Dated facts arrive with the daily file of their category for the day they happened (the
-- event column named by the runner); what happened before the story's first day (vaccinations
-- of 2021) came with the first day's file.
ALTER TABLE epi.{table:Identifier}
UPDATE batch_id = concat({batch_id:String}, '-', {table:String}, '-', src_category, '-',
                         formatDateTime(greatest({story_start:Date}, least({story_end:Date}, toDate({event:Identifier}))), '%Y%m%d'))
WHERE batch_id = {batch_id:String}
SETTINGS mutations_sync = 2;
