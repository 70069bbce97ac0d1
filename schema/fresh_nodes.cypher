// fresh_nodes: write a batch of nodes of one label into a graph that holds none of them yet (the
// embedded engine's loads, always into an emptied graph). Same rows and the same stored properties
// as load_nodes, without reading or merging what is stored: FalkorDB 4.16 crashes now and then in
// substring() on UTF-8 text, which load_nodes' evidence merge calls.
// Placeholder from schema.yaml only: {label}.
// $rows: [0] id, [1] props: ALL stored properties, [2] docs, [3] evidence JSON or null.
UNWIND $rows AS row
CREATE (n:{label})
SET n = row[1], n.docs = row[2], n.evidence = row[3]
RETURN count(n) AS written
