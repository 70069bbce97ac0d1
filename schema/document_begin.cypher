// document_begin: before a document's facts are written, mark it incomplete (creating a bare
// Document node supported by the document itself when it is new). Set complete again only by
// document_complete, after everything else of the load committed.
// $rows: [{id, document_id, name}]
UNWIND $rows AS row
MERGE (n:Document {id: row.id})
ON CREATE SET n.name = row.name, n.document_id = row.document_id, n.docs = [row.document_id]
SET n.load_complete = false, n.load_hash = null
RETURN count(n) AS marked
