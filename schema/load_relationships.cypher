// load_relationships: upsert a batch of relationships of one type between nodes of two labels.
// One relationship per (source, type, target). Idempotent (managed transactions retry).
// Placeholders from schema.yaml only: {type}, {source_label}, {target_label}.
// A relationship's supporting documents are those of its evidence (no separate `docs` list).
// $rows: one list per relationship: [0] source id, [1] target id, [2] props (ALL stored properties),
//   [3] evidence of the documents of this load (JSON array of {doc, start, end, text}, or null).
// The loader strips the loaded documents' evidence from every fact before it writes (as in
// load_nodes), so the row's evidence is appended to what other documents left.
// ('[]' only stands for no evidence inside the CASE; the embedded FalkorDB engine does not run this
// statement: it writes into an emptied graph with schema/fresh_*.cypher.)
// Returns how many rows found both ends: the loader checks it is all of them.
UNWIND $rows AS row
MATCH (a:{source_label} {id: row[0]})
MATCH (b:{target_label} {id: row[1]})
MERGE (a)-[r:{type}]->(b)
WITH r, row, coalesce(r.evidence, '[]') AS oev, coalesce(row[3], '[]') AS nev
SET r = row[2],
    r.evidence = CASE WHEN oev = '[]' THEN row[3] WHEN nev = '[]' THEN oev
                      ELSE substring(oev, 0, size(oev) - 1) + ',' + substring(nev, 1) END
RETURN count(r) AS written
