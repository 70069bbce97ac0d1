// fresh_relationships: write a batch of relationships of one type into a graph that holds none of
// them yet (as fresh_nodes). Same rows and stored properties as load_relationships, no evidence merge.
// Placeholders from schema.yaml only: {type}, {source_label}, {target_label}.
// $rows: [0] source id, [1] target id, [2] props (ALL stored properties), [3] evidence JSON or null.
// Returns how many rows found both ends: the caller checks it is all of them.
UNWIND $rows AS row
MATCH (a:{source_label} {id: row[0]})
MATCH (b:{target_label} {id: row[1]})
CREATE (a)-[r:{type}]->(b)
SET r = row[2], r.evidence = row[3]
RETURN count(r) AS written
