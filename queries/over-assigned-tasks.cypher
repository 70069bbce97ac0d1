// name: over-assigned-tasks
// question: Which tasks have many lead agencies (or many units in all)?
// param: min_leads int = 2 -- at least this many lead agencies
// param: min_units int = 0 -- or at least this many units, leads and supporters together (0: off)
// param: doc string = null -- only tasks of this document
// columns: doc, task_id, number, title, n_leads, n_supports, leads
MATCH (d:Document)
WHERE $doc IS NULL OR d.document_id = $doc
MATCH (d)-[:CONTAINS]->(t:Task)<-[r:LEADS|SUPPORTS]-(a:Agency)
WITH t, a, r
ORDER BY a.id
WITH t,
     collect(DISTINCT CASE WHEN type(r) = 'LEADS' THEN a.name END) AS leads,
     count(DISTINCT CASE WHEN type(r) = 'SUPPORTS' THEN a END) AS n_supports,
     count(DISTINCT a) AS n_units
WHERE size(leads) >= $min_leads OR ($min_units > 0 AND n_units >= $min_units)
RETURN t.doc AS doc, t.id AS task_id, t.number AS number, t.title AS title, size(leads) AS n_leads, n_supports, leads
ORDER BY n_leads DESC, n_supports DESC, task_id
