// delete_orphan_relationships: delete those of $ids still marked load_orphan (no document supports them).
UNWIND $ids AS eid
MATCH ()-[r]->() WHERE elementId(r) = eid AND r.load_orphan = true
DELETE r
RETURN count(*) AS deleted
