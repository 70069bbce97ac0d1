// name: orphan-tasks
// question: Which numbered tasks of a plan's task sections have no responsible unit at all?
// param: region string = null -- only documents of this region
// param: doc string = null -- only this document
// columns: region, doc, task_id, number, title, kind
// A task section is a top-level section with at least one responsibility clause in it. An orphan is a
// numbered item of such a section (一、 (一) 1. (1); not 专栏 columns and their entries) with no LEADS or
// SUPPORTS on itself, on any ancestor or on any descendant.
MATCH (d:Document)
WHERE ($region IS NULL OR d.region = $region) AND ($doc IS NULL OR d.document_id = $doc)
MATCH (d)-[:CONTAINS]->(x:Task)<-[:LEADS|SUPPORTS]-(:Agency)
WITH d, collect(DISTINCT x) AS assigned
UNWIND assigned AS x
MATCH (x)-[:SUBTASK_OF*0..]->(up:Task)
WITH d, assigned, collect(DISTINCT up) AS above
UNWIND assigned AS x
MATCH (below:Task)-[:SUBTASK_OF*0..]->(x)
WITH d, above, collect(DISTINCT below) AS under
WITH d, above + under AS covered, [s IN above WHERE s.level = 0] AS sections
UNWIND sections AS s
MATCH (t:Task)-[:SUBTASK_OF*0..]->(s)
WHERE t.kind IN ['cn', 'paren_cn', 'num', 'paren_num'] AND NOT t IN covered
RETURN d.region AS region, d.doc AS doc, t.id AS task_id, t.number AS number, t.title AS title, t.kind AS kind
ORDER BY doc, task_id
