// create_relationships: relationships of one type that cannot exist yet because one of their ends
// was created by this load, with all their properties (props, evidence_doc, evidence_start,
// evidence_end, evidence_text). Placeholders from schema.yaml only: {type}, {source_label}, {target_label}.
// $rows: [0] source id, [1] target id, [2] every stored property.
UNWIND $rows AS row
MATCH (a:{source_label} {id: row[0]})
MATCH (b:{target_label} {id: row[1]})
CREATE (a)-[r:{type}]->(b)
SET r = row[2]
RETURN count(r) AS written
