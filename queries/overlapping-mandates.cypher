// name: overlapping-mandates
// question: Which technologies are led by two or more different agencies of the same region, and through which tasks?
// param: region string = null -- only agencies of this region
// param: doc string = null -- only tasks of this document (overlaps inside one plan)
// param: min_agencies int = 2 -- at least this many distinct lead agencies
// columns: region, technology_id, technology, n_agencies, agency_id, agency, tasks
// An agency leads a technology when it leads a task, or an ancestor of a task, that addresses it
// (a 专栏 entry is a sub-measure of the task before it). One row per (region, technology, lead agency).
MATCH (a:Agency)-[:LEADS]->(:Task)<-[:SUBTASK_OF*0..]-(t:Task)-[:ADDRESSES]->(x:Technology)
WHERE ($region IS NULL OR a.region = $region) AND ($doc IS NULL OR t.doc = $doc)
WITH a.region AS region, x, collect(DISTINCT a) AS leads
WHERE size(leads) >= $min_agencies
UNWIND leads AS a
MATCH (a)-[:LEADS]->(:Task)<-[:SUBTASK_OF*0..]-(t:Task)-[:ADDRESSES]->(x)
WHERE $doc IS NULL OR t.doc = $doc
WITH region, x, size(leads) AS n_agencies, a, t
ORDER BY t.id
WITH region, x, n_agencies, a, collect(DISTINCT t.id) AS tasks
RETURN region, x.id AS technology_id, x.name AS technology, n_agencies, a.id AS agency_id, a.name AS agency, tasks
ORDER BY n_agencies DESC, region, technology_id, agency_id
