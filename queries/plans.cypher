// name: plans
// question: Which plans (documents) does the graph hold, with how many tasks, assigned tasks and agencies?
// param: region string = null -- only documents of this region
// columns: region, doc, plan, period, tasks, assigned_tasks, lead_agencies, agencies
// assigned_tasks: tasks with a LEADS or SUPPORTS of their own.
MATCH (d:Document)
WHERE $region IS NULL OR d.region = $region
CALL {
  WITH d
  MATCH (d)-[:CONTAINS]->(t:Task)
  RETURN count(t) AS tasks
}
CALL {
  WITH d
  MATCH (d)-[:CONTAINS]->(t:Task)<-[:LEADS|SUPPORTS]-(a:Agency)
  RETURN count(DISTINCT t) AS assigned_tasks, count(DISTINCT a) AS agencies
}
CALL {
  WITH d
  MATCH (d)-[:CONTAINS]->(:Task)<-[:LEADS]-(a:Agency)
  RETURN count(DISTINCT a) AS lead_agencies
}
RETURN d.region AS region, d.doc AS doc, d.name AS plan, d.period AS period, tasks, assigned_tasks,
       lead_agencies, agencies
ORDER BY region, doc
