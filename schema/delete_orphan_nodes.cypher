// delete_orphan_nodes: delete those of $ids still marked load_orphan, with any relationships left on them.
UNWIND $ids AS eid
MATCH (n) WHERE elementId(n) = eid AND n.load_orphan = true
DETACH DELETE n
RETURN count(*) AS deleted
