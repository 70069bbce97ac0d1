// name: plans
// question: Which plans (documents) does the graph hold, with how many tasks, assigned tasks and agencies?
// param: region string = null -- only documents of this region
// columns: region, doc, plan, period, tasks, assigned_tasks, lead_agencies, agencies
// assigned_tasks: tasks with a LEADS or SUPPORTS of their own.
MATCH (d:Document)
WHERE $region IS NULL OR d.region = $region
OPTIONAL MATCH (d)-[:CONTAINS]->(t:Task)
OPTIONAL MATCH (t)<-[r:LEADS|SUPPORTS]-(a:Agency)
WITH d, count(DISTINCT t) AS tasks, count(DISTINCT CASE WHEN a IS NOT NULL THEN t END) AS assigned_tasks,
     count(DISTINCT a) AS agencies, count(DISTINCT CASE WHEN type(r) = 'LEADS' THEN a END) AS lead_agencies
RETURN d.region AS region, d.doc AS doc, d.name AS plan, d.period AS period, tasks, assigned_tasks,
       lead_agencies, agencies
ORDER BY region, doc
