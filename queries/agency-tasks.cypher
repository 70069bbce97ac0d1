// name: agency-tasks
// question: Which tasks does one agency lead or support, in which plans?
// param: agency string -- the agency's id, e.g. agency:长沙市|科学技术局
// param: role string = null -- only LEADS or only SUPPORTS
// columns: role, doc, task_id, number, title, explicit
MATCH (a:Agency {id: $agency})-[r:LEADS|SUPPORTS]->(t:Task)
WHERE $role IS NULL OR type(r) = $role
RETURN type(r) AS role, t.doc AS doc, t.id AS task_id, t.number AS number, t.title AS title, r.explicit AS explicit
ORDER BY role, doc, task_id
