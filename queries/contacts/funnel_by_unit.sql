-- The closed loop for contacts identified up to 24:00 of the as-of day, by unit and kind:
-- how many reached each stage, where each person stands at 24:00 (the stages partition the
-- people, so they add up to those identified), and the mean hours spent in each step.
-- grain: unit × kind; params: scope, unit, grain UInt8, as_of Date
SELECT
    substring(community_code, 1, {grain:UInt8}) AS unit_code,
    toString(kind) AS kind,
    count() AS identified,
    countIf(notified_at < cut) AS notified,
    countIf(transferred_at IS NOT NULL AND transferred_at < cut) AS transferred,
    countIf(quarantine_start < cut) AS quarantined,
    countIf(kind = 'close_contact' AND monitoring_end IS NOT NULL AND quarantine_end < cut) AS monitored,
    countIf(released_at IS NOT NULL AND released_at < cut) AS released,
    countIf(outcome = 'became_case' AND quarantine_end < cut) AS became_case,
    -- where each person stands at 24:00 (exactly one of these)
    countIf(notified_at >= cut) AS now_identified,
    countIf(notified_at < cut AND quarantine_start >= cut) AS now_awaiting_transfer,
    countIf(quarantine_start < cut AND quarantine_end >= cut) AS now_quarantine,
    countIf(kind = 'close_contact' AND monitoring_end IS NOT NULL AND quarantine_end < cut
            AND (released_at IS NULL OR released_at >= cut)) AS now_monitoring,
    countIf(released_at IS NOT NULL AND released_at < cut) AS now_released,
    countIf(quarantine_end < cut AND released_at IS NULL AND NOT (kind = 'close_contact' AND monitoring_end IS NOT NULL)
            ) AS now_ended_other,
    round(avgIf(dateDiff('minute', identified_at, notified_at) / 60, notified_at < cut), 1) AS h_notify,
    round(avgIf(dateDiff('minute', notified_at, assumeNotNull(transferred_at)) / 60,
                transferred_at IS NOT NULL AND transferred_at < cut), 1) AS h_transfer,
    round(avgIf(dateDiff('minute', identified_at, quarantine_start) / 60, quarantine_start < cut), 1) AS h_to_quarantine,
    round(avgIf(dateDiff('minute', quarantine_start, quarantine_end) / 24 / 60, quarantine_end < cut), 1) AS d_quarantine,
    round(avgIf(dateDiff('minute', quarantine_end, assumeNotNull(monitoring_end)) / 24 / 60,
                monitoring_end IS NOT NULL AND monitoring_end < cut), 1) AS d_monitoring
FROM
(
    SELECT *, toDateTime({as_of:Date} + 1, 'Asia/Shanghai') AS cut
    FROM epi.control_episode
    WHERE startsWith(community_code, {scope:String}) AND startsWith(community_code, {unit:String})
      AND identified_at < toDateTime({as_of:Date} + 1, 'Asia/Shanghai')
)
GROUP BY unit_code, kind
ORDER BY unit_code, kind
