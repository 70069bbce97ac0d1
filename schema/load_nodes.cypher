// load_nodes: upsert a batch of nodes of one label, keyed on id. Idempotent (managed transactions retry).
// Placeholder from schema.yaml only: {label}.
// $rows: one list per node (lists pack and unpack faster than maps):
//   [0] id, [1] props: ALL stored properties (id, name, the graph's props, json_props, …),
//   [2] docs: the documents of this load that support the node,
//   [3] evidence docs, [4] evidence starts, [5] evidence ends, [6] evidence texts (of those documents).
// $docs: the documents this load writes. Their earlier evidence/provenance on the node is replaced by
//   the row's; evidence and provenance from other documents stay; the properties become exactly [1].
UNWIND $rows AS row
MERGE (n:{label} {id: row[0]})
WITH n, row, coalesce(n.docs, []) AS odocs, coalesce(n.evidence_doc, []) AS od,
     coalesce(n.evidence_start, []) AS os, coalesce(n.evidence_end, []) AS oe, coalesce(n.evidence_text, []) AS ot,
     n.load_complete AS complete, n.load_hash AS hash
WITH n, row, odocs, od, os, oe, ot, complete, hash, [i IN range(0, size(od) - 1) WHERE NOT od[i] IN $docs] AS keep
SET n = row[1],
    n.docs = [d IN odocs WHERE NOT d IN $docs] + row[2],
    n.evidence_doc = [i IN keep | od[i]] + row[3],
    n.evidence_start = [i IN keep | os[i]] + row[4],
    n.evidence_end = [i IN keep | oe[i]] + row[5],
    n.evidence_text = [i IN keep | coalesce(ot[i], "")] + row[6],
    n.load_complete = complete,
    n.load_hash = hash
RETURN count(n) AS written
