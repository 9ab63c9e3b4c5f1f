-- Department file loads, newest first: what each batch was and what it added, with the
-- accounting rows read = loaded + rejected. Provenance is city-wide metadata about files, so
-- it is shown to city-level roles only (scope '').
-- grain: one row per batch; params: scope String
SELECT
    b.batch_id                                  AS batch_id,
    b.department_code                           AS department_code,
    d.name                                      AS department,
    b.category_code                             AS category_code,
    c.name                                      AS category,
    b.target_table                              AS target_table,
    b.file_name                                 AS file_name,
    b.file_format                               AS file_format,
    b.encoding                                  AS encoding,
    b.rows_read                                 AS rows_read,
    b.rows_loaded                               AS rows_loaded,
    b.rows_rejected                             AS rows_rejected,
    toString(b.status)                          AS status,
    b.started_at                                AS started_at,
    b.finished_at                               AS finished_at,
    b.message                                   AS message
FROM epi.ingest_batch AS b FINAL
LEFT JOIN epi.source_department AS d ON d.code = b.department_code
LEFT JOIN epi.business_category AS c ON c.code = b.category_code
WHERE {scope:String} = ''
ORDER BY b.started_at DESC, b.batch_id
