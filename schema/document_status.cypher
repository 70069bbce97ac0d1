// document_status: load state of Document nodes. $ids: Document node ids.
UNWIND $ids AS id
MATCH (n:Document {id: id})
RETURN n.id AS id, n.load_complete AS complete, n.load_hash AS hash
