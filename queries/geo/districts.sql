-- Chengdu's 20 districts, counties and cities (from the census reference the seed loads), for
-- pickers and for naming a district code: the caller's own district, or all of them city-wide.
-- grain: district; params: scope String
SELECT code AS district_code, name
FROM epi.district
WHERE startsWith(code, {scope:String}) OR startsWith({scope:String}, code)
ORDER BY code
