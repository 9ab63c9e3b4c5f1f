-- What the database holds: scale, seed, when it was generated or loaded, and a data version
-- that the portal puts in its cache keys so a reload is never served stale figures.

-- shard: none
CREATE TABLE IF NOT EXISTS epi.dataset_info
(
    key        String,
    value      String,
    updated_at DateTime64(3, 'Asia/Shanghai') DEFAULT now64(3)
)
ENGINE = ReplacingMergeTree(updated_at) ORDER BY key;
