-- Compounds, coded places and sampling sites whose name contains the search text, to centre a
-- zone on; at most 30.
-- grain: place; params: scope String, text String
SELECT kind, label, community_code, lon, lat FROM
(
    SELECT '小区' AS kind, name AS label, community_code, lon, lat FROM epi.compound
    WHERE positionCaseInsensitiveUTF8(name, {text:String}) > 0 AND startsWith(community_code, {scope:String})
    UNION ALL
    SELECT '场所', name, community_code, lon, lat FROM epi.place
    WHERE positionCaseInsensitiveUTF8(name, {text:String}) > 0 AND startsWith(community_code, {scope:String})
    UNION ALL
    SELECT '采样点', concat(site_code, ' ', name), community_code, lon, lat FROM epi.sampling_site
    WHERE (positionCaseInsensitiveUTF8(name, {text:String}) > 0 OR positionCaseInsensitiveUTF8(site_code, {text:String}) > 0)
      AND startsWith(community_code, {scope:String})
)
ORDER BY length(label), label
LIMIT 30
