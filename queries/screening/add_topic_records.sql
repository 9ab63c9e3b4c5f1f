-- Write the chosen persons as the records of a new screening topic (one record each, its own
-- duplicate group, not yet dispatched), with provenance: department, category, batch, row.
-- params: scope String, topic_id UInt16, person_ids Array(UInt64), batch_id String,
--   department String, category String
INSERT INTO epi.screening_record
SELECT
    toUInt64({topic_id:UInt16}) * 10000000000 + person_id * 10 AS record_id,
    {topic_id:UInt16}, id_number, name, phone, person_id,
    cityHash64({topic_id:UInt16}, person_id) AS dup_group, 1 AS is_primary,
    substring(community_code, 1, 6), community_code,
    NULL, NULL, 'pending', 0,
    {department:String}, {category:String}, {batch_id:String},
    indexOf({person_ids:Array(UInt64)}, person_id) AS source_row
FROM epi.person
WHERE person_id IN {person_ids:Array(UInt64)} AND startsWith(community_code, {scope:String})
