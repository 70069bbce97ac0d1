// load_nodes: upsert a batch of nodes of one label, keyed on id. Idempotent (managed transactions retry).
// Placeholder from schema.yaml only: {label}.
// $rows: one list per node (lists pack and unpack faster than maps):
//   [0] id, [1] props: ALL stored properties (id, name, the graph's props, json_props, null_props, …),
//   [2] docs: the documents of this load that support the node,
//   [3] evidence of those documents: a JSON array of {doc, start, end, text}, or null for none.
// ('[]' only stands for no evidence inside the CASE; the embedded FalkorDB engine does not run this
// statement: it writes into an emptied graph with schema/fresh_*.cypher.)
// $docs: the documents this load writes. Their provenance on the node is replaced by the row's; other
//   documents' provenance and evidence stay; the properties become exactly [1]. The loader strips
//   $docs' evidence from every fact before it writes (module docstring, step 2), so the stored
//   evidence holds other documents' only and the row's is appended to it (one JSON array).
UNWIND $rows AS row
MERGE (n:{label} {id: row[0]})
WITH n, row, coalesce(n.docs, []) AS odocs,
     coalesce(n.evidence, '[]') AS oev, coalesce(row[3], '[]') AS nev, n.load_complete AS complete, n.load_hash AS hash
SET n = row[1],
    n.docs = [d IN odocs WHERE NOT d IN $docs] + row[2],
    n.evidence = CASE WHEN oev = '[]' THEN row[3] WHEN nev = '[]' THEN oev
                      ELSE substring(oev, 0, size(oev) - 1) + ',' + substring(nev, 1) END,
    n.load_complete = complete,
    n.load_hash = hash
RETURN count(n) AS written
