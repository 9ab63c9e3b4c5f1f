-- The rejected rows of one batch: where in the file, which column, why, and the raw line as it
-- arrived (it may hold personal data: city-level roles only).
-- grain: one row per rejected row; params: scope String, batch String
SELECT
    row_number  AS row_number,
    column_name AS column_name,
    reason      AS reason,
    raw         AS raw
FROM epi.rejected_row
WHERE batch_id = {batch:String} AND {scope:String} = ''
ORDER BY row_number
