// existing_nodes: which of $ids are nodes of {label} already (the loader creates the others), with
// their element ids.
UNWIND $ids AS id
MATCH (n:{label} {id: id})
RETURN n.id AS id, elementId(n) AS eid
