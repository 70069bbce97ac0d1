// strip_nodes: set the provenance and evidence of nodes after the loader took $docs' share off
// them (find_document_nodes); a node left with no supporting document is marked load_orphan
// (deleted at the end unless the load rewrites it).
// $rows: [0] element id, [1] docs left, [2] evidence left (JSON array, or null for none).
UNWIND $rows AS row
MATCH (n) WHERE elementId(n) = row[0]
SET n.docs = row[1],
    n.evidence = row[2],
    n.load_orphan = CASE WHEN size(row[1]) = 0 THEN true ELSE null END
RETURN count(n) AS stripped
