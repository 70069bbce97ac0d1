// strip_relationships: as strip_nodes, for relationships (whose documents are those of their
// evidence): a relationship left with no evidence is marked load_orphan.
// $rows: [0] element id, [1] evidence left (JSON array, or null for none).
UNWIND $rows AS row
MATCH ()-[r]->() WHERE elementId(r) = row[0]
SET r.evidence = row[1],
    r.load_orphan = CASE WHEN row[1] IS NULL THEN true ELSE null END
RETURN count(r) AS stripped
