-- People named close contacts (hop 1 of a contact edge) on the as-of day and the day before:
-- each person once a day however many cases named them, whether or not they already had a
-- control episode (contacts_by_unit counts only those newly put under control).
-- grain: unit; params: scope, unit, grain, as_of
SELECT
    substring(community_code, 1, {grain:UInt8}) AS unit_code,
    uniqExactIf(to_person_id, toDate(identified_at, 'Asia/Shanghai') = {as_of:Date}) AS today,
    uniqExactIf(to_person_id, toDate(identified_at, 'Asia/Shanghai') = {as_of:Date} - 1) AS prev
FROM epi.contact_edge
WHERE startsWith(community_code, {scope:String}) AND startsWith(community_code, {unit:String})
  AND hop = 1
  AND identified_at >= toDateTime({as_of:Date} - 1, 'Asia/Shanghai')
  AND identified_at < toDateTime({as_of:Date} + 1, 'Asia/Shanghai')
GROUP BY unit_code
ORDER BY unit_code
