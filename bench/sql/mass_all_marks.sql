-- Naive live marks: every mark ever stored, filtered and sorted in pandas.
SELECT mark_key, site_id, toString(state) AS state, queue_minutes, operator, marked_at FROM epi.site_mark FINAL
