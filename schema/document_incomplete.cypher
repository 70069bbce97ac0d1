// document_incomplete: mark existing Document nodes incomplete (before their facts are removed).
// $ids: Document node ids.
UNWIND $ids AS id
MATCH (n:Document {id: id})
SET n.load_complete = false, n.load_hash = null
RETURN count(n) AS marked
