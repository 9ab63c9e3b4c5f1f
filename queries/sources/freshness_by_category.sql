-- Every business category of every department: the batches it has delivered, the rows they
-- added and rejected, and when its last complete batch finished (NULL: never fed by a file).
-- The portal calls a category stale when that is older than a setting. City-level roles only.
-- data_end: the last day of a generated (seeded) dataset, whose clock stops there; NULL otherwise.
-- grain: one row per business category (96); params: scope String
SELECT
    c.code                                       AS category_code,
    c.name                                       AS category,
    c.department_code                            AS department_code,
    d.name                                       AS department,
    c.target_table                               AS target_table,
    toUInt64(countIf(b.status = 'complete'))     AS batches,
    toUInt64(sumIf(b.rows_loaded, b.status = 'complete'))   AS rows_loaded,
    toUInt64(sumIf(b.rows_rejected, b.status = 'complete')) AS rows_rejected,
    toUInt64(countIf(b.status IN ('loading', 'failed', 'refused'))) AS unfinished,
    maxIf(b.finished_at, b.status = 'complete')  AS last_loaded_at,
    (SELECT toDate32OrNull(argMax(value, updated_at)) FROM epi.dataset_info WHERE key = 'last_day') AS data_end
FROM epi.business_category AS c
LEFT JOIN epi.source_department AS d ON d.code = c.department_code
LEFT JOIN (SELECT * FROM epi.ingest_batch FINAL) AS b ON b.category_code = c.code
WHERE {scope:String} = ''
GROUP BY c.code, c.name, c.department_code, d.name, c.target_table
ORDER BY c.department_code, c.code
