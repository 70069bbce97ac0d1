// name: agency-workload
// question: How many tasks does each agency lead and support, by region?
// param: region string = null -- only agencies of this region (e.g. 深圳市)
// param: doc string = null -- only tasks of this document (its id, e.g. 000_279d2fb2746ce7ce)
// columns: region, agency_id, agency, led, supported, total
// Counts distinct tasks. An agency that both leads and supports one task counts it in both columns.
MATCH (d:Document)
WHERE $doc IS NULL OR d.document_id = $doc
MATCH (d)-[:CONTAINS]->(t:Task)<-[r:LEADS|SUPPORTS]-(a:Agency)
WHERE $region IS NULL OR a.region = $region
WITH a,
     count(DISTINCT CASE WHEN type(r) = 'LEADS' THEN t END) AS led,
     count(DISTINCT CASE WHEN type(r) = 'SUPPORTS' THEN t END) AS supported
RETURN a.region AS region, a.id AS agency_id, a.name AS agency, led, supported, led + supported AS total
ORDER BY region, total DESC, led DESC, agency_id
