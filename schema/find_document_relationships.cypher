// find_document_relationships: as find_document_nodes, for relationships (whose documents are
// those of their evidence).
MATCH ()-[r]->()
WHERE r.load_orphan = true OR any(d IN coalesce(r.docs, []) WHERE d IN $docs)
RETURN elementId(r) AS eid, r.docs AS docs, r.evidence AS evidence
