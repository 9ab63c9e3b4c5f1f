-- The seeded rows registered as the department files that would have brought them, so that
-- 数据来源 tells the same story as the figures: for each category a table holds, one complete
-- batch per day from its first file to the last day with data (a day with nothing new is a
-- file of no rows, as a department's daily report of none), received at the close of its day.
-- Department and category as the registry names them; rows read = rows loaded, none rejected.
INSERT INTO epi.ingest_batch (batch_id, department_code, category_code, target_table, file_name, content_hash,
                              file_format, encoding, rows_read, rows_loaded, rows_rejected, started_at, finished_at,
                              status, message)
SELECT
    f.id, c.department_code, f.category, {table:String},
    concat(c.name, '_', formatDateTime(f.day, '%Y%m%d')),
    '', 'seed', '', ifNull(r.rows, 0), ifNull(r.rows, 0), 0,
    toDateTime(f.day, 'Asia/Shanghai'), toDateTime(f.day, 'Asia/Shanghai') + toIntervalSecond(86399),
    'complete', '演示数据：由种子生成，按报送部门的每日文件登记'
FROM
(
    SELECT k.category AS category, day,
           concat({batch_id:String}, '-', {table:String}, '-', k.category, '-', formatDateTime(day, '%Y%m%d')) AS id
    FROM
    (
        SELECT src_category AS category,
               min(toDate(parseDateTimeOrNull(right(batch_id, 8), '%Y%m%d', 'Asia/Shanghai'))) AS first_day
        FROM epi.{table:Identifier}
        WHERE startsWith(batch_id, {batch_id:String})
        GROUP BY category
    ) AS k
    ARRAY JOIN arrayMap(i -> k.first_day + i, range(toUInt32(dateDiff('day', k.first_day, {story_end:Date}) + 1))) AS day
) AS f
LEFT JOIN
(
    SELECT batch_id, count() AS rows FROM epi.{table:Identifier}
    WHERE startsWith(batch_id, {batch_id:String}) GROUP BY batch_id
) AS r ON r.batch_id = f.id
INNER JOIN epi.business_category AS c ON c.code = f.category
SETTINGS join_use_nulls = 1;
