-- Samples taken on a day up to the end of an hour, by purpose and whole hours from sampling to
-- result (NULL while pending at that moment: a result out later is not known yet), for the
-- turnaround distribution against the 6 / 12 / 24 h targets.
-- grain: purpose × hours; params: scope String, unit String, day Date, hour UInt8 (0–23)
WITH toDateTime({day:Date}, 'Asia/Shanghai') + toIntervalHour({hour:UInt8} + 1) AS at
SELECT toString(purpose) AS purpose,
       if(result_at IS NULL OR assumeNotNull(result_at) >= at, NULL,
          intDiv(dateDiff('minute', sampled_at, assumeNotNull(result_at)), 60)) AS hours,
       count() AS samples
FROM epi.sample
WHERE sampled_at >= toDateTime({day:Date}, 'Asia/Shanghai') AND sampled_at < at
  AND startsWith(community_code, {scope:String}) AND startsWith(community_code, {unit:String})
GROUP BY purpose, hours
ORDER BY purpose, hours
