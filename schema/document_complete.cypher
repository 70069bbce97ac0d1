// document_complete: the last write of a load: the document's facts are all in.
// $rows: [{id, hash}]
UNWIND $rows AS row
MATCH (n:Document {id: row.id})
SET n.load_complete = true, n.load_hash = row.hash
RETURN count(n) AS completed
