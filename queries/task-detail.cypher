// name: task-detail
// question: What is known about one task: its text, plan and outline path, who leads and supports it, its sub-tasks and what it names, each with its evidence sentences?
// param: task string -- the task's id, e.g. task:000_279d2fb2746ce7ce#三/一/1
// columns: task_id, doc, number, title, relation, direction, other_label, other_id, other, explicit, evidence:json
// The first row is the task itself (relation TASK, its own evidence); then one row per relationship,
// direction `out` (task → other) or `in` (other → task). explicit: for LEADS, whether 牵头单位 was stated.
// evidence: [{doc, start, end, text}]: the stored `evidence` JSON array (the runner decodes it; none: []).
MATCH (t:Task {id: $task})
OPTIONAL MATCH (t)-[r]-(o)
WITH t, collect(CASE WHEN r IS NOT NULL THEN
       {rank: 1, relation: type(r), direction: CASE WHEN startNode(r) = t THEN 'out' ELSE 'in' END,
        label: labels(o)[0], id: o.id, name: o.name, explicit: r.explicit,
        evidence: r.evidence}
       END) AS links
UNWIND [{rank: 0, relation: 'TASK', direction: '', label: 'Task', id: t.id, name: t.title, explicit: null,
         evidence: t.evidence}]
       + links AS x
RETURN t.id AS task_id, t.doc AS doc, t.number AS number, t.title AS title, x.relation AS relation,
       x.direction AS direction, x.label AS other_label, x.id AS other_id, x.name AS other,
       x.explicit AS explicit, coalesce(x.evidence, '[]') AS evidence
ORDER BY x.rank, relation, direction, other_id
