// name: documents-citing-policy
// question: Which documents cite the same policy?
// param: policy string = null -- one policy's id (e.g. policy:国发〔2017〕35号); else every policy cited by at least min_documents documents
// param: min_documents int = 2 -- with no policy given: at least this many citing documents
// columns: policy_id, policy, n_documents, documents, regions
MATCH (d:Document)-[:CITES]->(p:Policy)
WHERE $policy IS NULL OR p.id = $policy
WITH p, d
ORDER BY d.doc
WITH p, collect(DISTINCT d.doc) AS documents
WHERE $policy IS NOT NULL OR size(documents) >= $min_documents
MATCH (d:Document)-[:CITES]->(p)
WITH p, documents, d.region AS region
ORDER BY region
WITH p, documents, collect(DISTINCT region) AS regions
RETURN p.id AS policy_id, p.name AS policy, size(documents) AS n_documents, documents, regions
ORDER BY n_documents DESC, policy_id
