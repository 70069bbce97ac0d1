// load_relationships: upsert a batch of relationships of one type between nodes of two labels.
// One relationship per (source, type, target). Idempotent (managed transactions retry).
// Placeholders from schema.yaml only: {type}, {source_label}, {target_label}.
// A relationship's supporting documents (`docs`) are those of its evidence.
// $rows: one list per relationship: [0] source id, [1] target id, [2] props (ALL stored properties),
//   [3] docs, [4] evidence (JSON array of {doc, start, end, text}, or null) of the documents of this load.
// $docs as in load_nodes (the stored evidence holds other documents' only; the row's is appended).
// Returns how many rows found both ends: the loader checks it is all of them.
UNWIND $rows AS row
MATCH (a:{source_label} {id: row[0]})
MATCH (b:{target_label} {id: row[1]})
MERGE (a)-[r:{type}]->(b)
WITH r, row, coalesce(r.docs, []) AS odocs,
     coalesce(r.evidence, '[]') AS oev, coalesce(row[4], '[]') AS nev
SET r = row[2],
    r.docs = [d IN odocs WHERE NOT d IN $docs] + row[3],
    r.evidence = CASE WHEN oev = '[]' THEN row[4] WHEN nev = '[]' THEN oev
                      ELSE substring(oev, 0, size(oev) - 1) + ',' + substring(nev, 1) END
RETURN count(r) AS written
