// create_relationships: relationships of one type that cannot exist yet because one of their ends
// was created by this load, with all their properties (props, evidence). Their ends are
// found by element id (returned by create_nodes and existing_nodes in the same load), so no
// index lookup. Placeholder from schema.yaml only: {type}.
// $rows: [0] source element id, [1] target element id, [2] every stored property.
UNWIND $rows AS row
MATCH (a) WHERE elementId(a) = row[0]
MATCH (b) WHERE elementId(b) = row[1]
CREATE (a)-[r:{type}]->(b)
SET r += row[2]
RETURN count(r) AS written
