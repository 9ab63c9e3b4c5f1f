-- A sampling site by its uniform code, with its district and street names (empty when unknown).
-- grain: site; params: scope String, site_code String
SELECT s.site_id AS site_id, s.site_code AS site_code, s.name AS site_name, toString(s.community_code) AS community_code,
       d.name AS district_name, st.name AS street_name
FROM epi.sampling_site AS s
LEFT JOIN epi.district AS d ON d.code = substring(s.community_code, 1, 6)
LEFT JOIN epi.street AS st ON st.code = substring(s.community_code, 1, 9)
WHERE s.site_code = {site_code:String} AND startsWith(s.community_code, {scope:String})
