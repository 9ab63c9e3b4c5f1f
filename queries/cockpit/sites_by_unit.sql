-- Sampling sites by their last reported state on the as-of day and the day before (the last
-- report by 24:00); sites that sent no report that day count as unreported. congested_ever:
-- sites whose queue reached the congested line ({congested_minutes}) in some report of the day.
-- grain: unit × day; params: scope, unit, grain, as_of, congested_minutes UInt16
SELECT
    substring(s.community_code, 1, {grain:UInt8}) AS unit_code,
    d.day AS day,
    count() AS sites,
    countIf(r.state = 'clear') AS clear,
    countIf(r.state = 'busy') AS busy,
    countIf(r.state = 'congested') AS congested,
    countIf(r.max_queue >= {congested_minutes:UInt16}) AS congested_ever,
    countIf(r.state = 'closed') AS closed,
    countIf(r.site_id = 0) AS unreported
FROM epi.sampling_site AS s
CROSS JOIN (SELECT arrayJoin([{as_of:Date} - 1, {as_of:Date}]) AS day) AS d
LEFT JOIN
(
    SELECT day, site_id, toString(argMaxMerge(last_state)) AS state, max(max_queue) AS max_queue
    FROM epi.agg_site_state_daily
    WHERE day BETWEEN {as_of:Date} - 1 AND {as_of:Date}
      AND startsWith(community_code, {scope:String}) AND startsWith(community_code, {unit:String})
    GROUP BY day, site_id
) AS r ON r.site_id = s.site_id AND r.day = d.day
WHERE startsWith(s.community_code, {scope:String}) AND startsWith(s.community_code, {unit:String})
GROUP BY unit_code, day
ORDER BY unit_code, day
