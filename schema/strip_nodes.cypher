// strip_nodes: remove the evidence and provenance of $docs from the nodes $ids; a node left with
// no supporting document is marked load_orphan (deleted at the end unless the load rewrites it).
UNWIND $ids AS eid
MATCH (n) WHERE elementId(n) = eid
WITH n, coalesce(n.evidence_doc, []) AS od, coalesce(n.evidence_start, []) AS os,
     coalesce(n.evidence_end, []) AS oe, coalesce(n.evidence_text, []) AS ot,
     [d IN coalesce(n.docs, []) WHERE NOT d IN $docs] AS docs
WITH n, od, os, oe, ot, docs, [i IN range(0, size(od) - 1) WHERE NOT od[i] IN $docs] AS keep
SET n.docs = docs,
    n.evidence_doc = [i IN keep | od[i]],
    n.evidence_start = [i IN keep | os[i]],
    n.evidence_end = [i IN keep | oe[i]],
    n.evidence_text = [i IN keep | coalesce(ot[i], "")],
    n.load_orphan = CASE WHEN size(docs) = 0 THEN true ELSE null END
RETURN count(n) AS stripped
