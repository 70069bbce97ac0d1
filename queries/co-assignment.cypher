// name: co-assignment
// question: Which pairs of agencies are assigned to the same tasks, and how often?
// param: region string = null -- only pairs with at least one agency of this region
// param: doc string = null -- only tasks of this document
// param: min_shared int = 1 -- at least this many shared tasks
// param: limit int = 1000 -- at most this many pairs
// columns: agency_a_id, agency_a, agency_b_id, agency_b, shared, a_leads, b_leads
// A pair is listed once (agency_a_id < agency_b_id); a_leads / b_leads: shared tasks that agency leads.
MATCH (d:Document)
WHERE $doc IS NULL OR d.document_id = $doc
MATCH (d)-[:CONTAINS]->(t:Task)
MATCH (a:Agency)-[ra:LEADS|SUPPORTS]->(t)<-[rb:LEADS|SUPPORTS]-(b:Agency)
WHERE a.id < b.id AND ($region IS NULL OR a.region = $region OR b.region = $region)
WITH a, b,
     count(DISTINCT t) AS shared,
     count(DISTINCT CASE WHEN type(ra) = 'LEADS' THEN t END) AS a_leads,
     count(DISTINCT CASE WHEN type(rb) = 'LEADS' THEN t END) AS b_leads
WHERE shared >= $min_shared
RETURN a.id AS agency_a_id, a.name AS agency_a, b.id AS agency_b_id, b.name AS agency_b, shared, a_leads, b_leads
ORDER BY shared DESC, agency_a_id, agency_b_id
LIMIT $limit
