// name: orphan-tasks
// question: Which numbered tasks of a plan's task sections have no responsible unit at all?
// param: region string = null -- only documents of this region
// param: doc string = null -- only this document
// columns: region, doc, task_id, number, title, kind
// A task section is a top-level section with at least one responsibility clause in it. An orphan is a
// numbered item of such a section (一、 (一) 1. (1); not 专栏 columns and their entries) with no LEADS or
// SUPPORTS on itself, on any ancestor or on any descendant.
MATCH (d:Document)-[:CONTAINS]->(s:Task {level: 0})
WHERE ($region IS NULL OR d.region = $region) AND ($doc IS NULL OR d.doc = $doc)
  AND (s)<-[:SUBTASK_OF*0..]-(:Task)<-[:LEADS|SUPPORTS]-(:Agency)
MATCH (s)<-[:SUBTASK_OF*0..]-(t:Task)
WHERE t.kind IN ['cn', 'paren_cn', 'num', 'paren_num']
  AND NOT (t)<-[:LEADS|SUPPORTS]-(:Agency)
  AND NOT (t)-[:SUBTASK_OF*1..]->(:Task)<-[:LEADS|SUPPORTS]-(:Agency)
  AND NOT (t)<-[:SUBTASK_OF*1..]-(:Task)<-[:LEADS|SUPPORTS]-(:Agency)
RETURN d.region AS region, d.doc AS doc, t.id AS task_id, t.number AS number, t.title AS title, t.kind AS kind
ORDER BY doc, task_id
