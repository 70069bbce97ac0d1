// name: overlapping-mandates
// question: Which technologies are led by two or more different agencies of the same region, and through which tasks?
// param: region string = null -- only agencies of this region
// param: doc string = null -- only tasks of this document (overlaps inside one plan)
// param: min_agencies int = 2 -- at least this many distinct lead agencies
// columns: region, technology_id, technology, n_agencies, agency_id, agency, tasks
// An agency leads a technology when it leads a task, or an ancestor of a task, that addresses it
// (a 专栏 entry is a sub-measure of the task before it). One row per (region, technology, lead agency).
// The ancestors' leads are found per task (CALL) so that both planners start from the plan's tasks.
MATCH (d:Document)
WHERE $doc IS NULL OR d.document_id = $doc
MATCH (d)-[:CONTAINS]->(t:Task)-[:ADDRESSES]->(x:Technology)
CALL {
  WITH t
  MATCH (t)-[:SUBTASK_OF*0..]->(:Task)<-[:LEADS]-(a:Agency)
  RETURN a
}
WITH a, t, x
WHERE $region IS NULL OR a.region = $region
WITH a.region AS region, x, a, t
ORDER BY t.id
WITH region, x, a, collect(DISTINCT t.id) AS tasks
ORDER BY a.id
WITH region, x, collect({id: a.id, name: a.name, tasks: tasks}) AS leads
WHERE size(leads) >= $min_agencies
UNWIND leads AS lead
RETURN region, x.id AS technology_id, x.name AS technology, size(leads) AS n_agencies, lead.id AS agency_id,
       lead.name AS agency, lead.tasks AS tasks
ORDER BY n_agencies DESC, region, technology_id, agency_id
