-- Samples taken on a day by purpose and whole hours from sampling to result (NULL while
-- pending), for the turnaround distribution against the 6 / 12 / 24 h targets.
-- grain: purpose × hours; params: scope String, unit String, day Date
SELECT toString(purpose) AS purpose,
       if(result_at IS NULL, NULL, intDiv(dateDiff('minute', sampled_at, assumeNotNull(result_at)), 60)) AS hours,
       count() AS samples
FROM epi.sample
WHERE sampled_at >= toDateTime({day:Date}, 'Asia/Shanghai') AND sampled_at < toDateTime({day:Date} + 1, 'Asia/Shanghai')
  AND startsWith(community_code, {scope:String}) AND startsWith(community_code, {unit:String})
GROUP BY purpose, hours
ORDER BY purpose, hours
