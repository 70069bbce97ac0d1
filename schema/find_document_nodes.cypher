// find_document_nodes: nodes supported by any of $docs, and nodes left marked as orphans by an
// interrupted load, with their provenance and evidence (the loader strips $docs' share of them).
// Neo4j-specific (elementId); used by the incremental replace/delete.
MATCH (n)
WHERE n.load_orphan = true OR any(d IN coalesce(n.docs, []) WHERE d IN $docs)
RETURN elementId(n) AS eid, n.docs AS docs, n.evidence AS evidence
