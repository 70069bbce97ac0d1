// create_nodes: nodes of one label that do not exist yet, with all their properties.
// Placeholder from schema.yaml only: {label}.
// $rows: [0] id, [1] every stored property (id, name, props, json_props, docs, evidence_doc,
//   evidence_start, evidence_end, evidence_text). The key's uniqueness constraint refuses a duplicate.
UNWIND $rows AS row
CREATE (n:{label})
SET n = row[1]
RETURN count(n) AS written
