// find_document_relationships: as find_document_nodes, for relationships. A relationship's
// documents are those of its evidence: $needles holds, for each of $docs, the JSON text
// `"doc":"<id>"` that the evidence array holds exactly when one of its spans is of that document
// (inside a JSON string a quote is escaped, so the text cannot occur anywhere else).
MATCH ()-[r]->()
WHERE r.load_orphan = true OR any(x IN $needles WHERE r.evidence CONTAINS x)
   OR any(d IN coalesce(r.evidence_doc, []) WHERE d IN $docs)  // written by the loader's earlier layout
RETURN elementId(r) AS eid, r.evidence AS evidence
