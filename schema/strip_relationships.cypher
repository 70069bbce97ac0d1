// strip_relationships: as strip_nodes, for relationships: a relationship left with no supporting
// document (no evidence) is marked load_orphan.
// $rows: [0] element id, [1] docs left, [2] evidence left (JSON array, or null for none).
UNWIND $rows AS row
MATCH ()-[r]->() WHERE elementId(r) = row[0]
SET r.docs = row[1],
    r.evidence = row[2],
    r.load_orphan = CASE WHEN size(row[1]) = 0 THEN true ELSE null END
RETURN count(r) AS stripped
