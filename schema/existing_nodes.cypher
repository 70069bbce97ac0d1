// existing_nodes: which of $ids are nodes of {label} already (the loader creates the others).
UNWIND $ids AS id
MATCH (n:{label} {id: id})
RETURN n.id AS id
