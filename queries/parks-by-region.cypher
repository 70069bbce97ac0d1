// name: parks-by-region
// question: Which parks does each region have, what do they focus on, and how many tasks involve them?
// param: region string = null -- only parks located in this region or in a region under it (e.g. 深圳市)
// columns: region_id, region, park_id, park, focus, tasks
// focus: names of the technologies the park FOCUSES_ON, sorted.
MATCH (p:Park)-[:LOCATED_IN]->(r:Region)
WHERE $region IS NULL OR r.name = $region OR (r)-[:PART_OF*1..]->(:Region {name: $region})
OPTIONAL MATCH (p)-[:FOCUSES_ON]->(x)
WITH r, p, x
ORDER BY x.name
WITH r, p, collect(DISTINCT x.name) AS focus
OPTIONAL MATCH (t:Task)-[:INVOLVES]->(p)
RETURN r.id AS region_id, r.name AS region, p.id AS park_id, p.name AS park, focus, count(DISTINCT t) AS tasks
ORDER BY region_id, park_id
