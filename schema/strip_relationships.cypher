// strip_relationships: as strip_nodes, for relationships: a relationship left with no evidence
// (no supporting document) is marked load_orphan.
UNWIND $ids AS eid
MATCH ()-[r]->() WHERE elementId(r) = eid
WITH r, coalesce(r.evidence_doc, []) AS od, coalesce(r.evidence_start, []) AS os,
     coalesce(r.evidence_end, []) AS oe, coalesce(r.evidence_text, []) AS ot
WITH r, od, os, oe, ot, [i IN range(0, size(od) - 1) WHERE NOT od[i] IN $docs] AS keep
SET r.evidence_doc = [i IN keep | od[i]],
    r.evidence_start = [i IN keep | os[i]],
    r.evidence_end = [i IN keep | oe[i]],
    r.evidence_text = [i IN keep | coalesce(ot[i], "")],
    r.load_orphan = CASE WHEN size(keep) = 0 THEN true ELSE null END
RETURN count(r) AS stripped
