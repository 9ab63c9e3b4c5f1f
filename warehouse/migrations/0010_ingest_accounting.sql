-- Department file loads: what each batch was (target table, format, encoding, the message a
-- person reads when a file is refused) and the rows it added, recorded per chunk so that a load
-- killed half-way resumes: recorded chunks are skipped, an unrecorded chunk's rows are deleted
-- and written again.

ALTER TABLE epi.ingest_batch
    ADD COLUMN IF NOT EXISTS file_format LowCardinality(String) DEFAULT '' COMMENT 'csv / xlsx / parquet / jsonl'
    AFTER content_hash;

ALTER TABLE epi.ingest_batch
    ADD COLUMN IF NOT EXISTS encoding LowCardinality(String) DEFAULT '' COMMENT 'text encoding the file was read with'
    AFTER file_format;

ALTER TABLE epi.ingest_batch
    ADD COLUMN IF NOT EXISTS target_table LowCardinality(String) DEFAULT '' AFTER category_code;

ALTER TABLE epi.ingest_batch
    ADD COLUMN IF NOT EXISTS message String DEFAULT '' COMMENT 'why a file was refused, or what was noticed while reading it';

-- shard: cityHash64(batch_id)
CREATE TABLE IF NOT EXISTS epi.ingest_chunk
(
    batch_id      String,
    chunk         UInt32,
    first_row     UInt64 COMMENT 'line (or record) numbers the chunk covers',
    last_row      UInt64,
    rows_read     UInt64,
    rows_loaded   UInt64,
    rows_rejected UInt64,
    loaded_at     DateTime('Asia/Shanghai') DEFAULT now()
)
ENGINE = ReplacingMergeTree ORDER BY (batch_id, chunk);
