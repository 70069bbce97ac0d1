// create_nodes: nodes of one label that do not exist yet, with all their properties.
// Placeholder from schema.yaml only: {label}.
// $rows: [0] id, [1] every stored property (id, name, props, json_props, null_props, docs, evidence).
// The key's uniqueness constraint refuses a duplicate. Returns the new nodes' element ids in row
// order (the loader creates the relationships on them by element id).
UNWIND $rows AS row
CREATE (n:{label})
SET n += row[1]
RETURN collect(elementId(n)) AS written
