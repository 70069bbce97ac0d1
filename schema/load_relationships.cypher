// load_relationships: upsert a batch of relationships of one type between nodes of two labels.
// One relationship per (source, type, target). Idempotent (managed transactions retry).
// Placeholders from schema.yaml only: {type}, {source_label}, {target_label}.
// A relationship's supporting documents are those of its evidence (no separate `docs` list).
// $rows: one list per relationship: [0] source id, [1] target id, [2] props (ALL stored properties),
//   [3] evidence docs, [4] starts, [5] ends, [6] texts (of the documents of this load).
// $docs as in load_nodes. Returns how many rows found both ends: the loader checks it is all of them.
UNWIND $rows AS row
MATCH (a:{source_label} {id: row[0]})
MATCH (b:{target_label} {id: row[1]})
MERGE (a)-[r:{type}]->(b)
WITH r, row, coalesce(r.evidence_doc, []) AS od,
     coalesce(r.evidence_start, []) AS os, coalesce(r.evidence_end, []) AS oe, coalesce(r.evidence_text, []) AS ot
WITH r, row, od, os, oe, ot, [i IN range(0, size(od) - 1) WHERE NOT od[i] IN $docs] AS keep
SET r = row[2],
    r.evidence_doc = [i IN keep | od[i]] + row[3],
    r.evidence_start = [i IN keep | os[i]] + row[4],
    r.evidence_end = [i IN keep | oe[i]] + row[5],
    r.evidence_text = [i IN keep | coalesce(ot[i], "")] + row[6]
RETURN count(r) AS written
