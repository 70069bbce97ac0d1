// name: agency-ego
// question: Who is in one agency's ego network: co-assigned agencies (with shared-task counts), its parent and sub-units, its co-issuers?
// param: agency string -- the agency's id, e.g. agency:中山市|科学技术局
// param: min_shared int = 1 -- co-assigned agencies sharing at least this many tasks
// columns: relation, neighbor_id, neighbor, neighbor_region, shared, ego_leads, neighbor_leads
// relation: co-assigned (shared = tasks both are assigned to; ego_leads / neighbor_leads = of those, the
// ones each leads), part-of (the neighbor is the agency's parent), has-part (a sub-unit), co-issuer
// (shared = documents both issued).
// One branch per relation (each a plain aggregation from the ego), merged per neighbour.
MATCH (e:Agency {id: $agency})
CALL {
  WITH e
  MATCH (e)-[:LEADS|SUPPORTS]->(t:Task)<-[:LEADS|SUPPORTS]-(n:Agency)
  WHERE n <> e
  RETURN 'co-assigned' AS relation, n, count(DISTINCT t) AS shared, 0 AS ego_leads, 0 AS neighbor_leads
  UNION ALL
  WITH e
  MATCH (e)-[:LEADS]->(t:Task)<-[:LEADS|SUPPORTS]-(n:Agency)
  WHERE n <> e
  RETURN 'co-assigned' AS relation, n, 0 AS shared, count(DISTINCT t) AS ego_leads, 0 AS neighbor_leads
  UNION ALL
  WITH e
  MATCH (e)-[:LEADS|SUPPORTS]->(t:Task)<-[:LEADS]-(n:Agency)
  WHERE n <> e
  RETURN 'co-assigned' AS relation, n, 0 AS shared, 0 AS ego_leads, count(DISTINCT t) AS neighbor_leads
  UNION ALL
  WITH e
  MATCH (e)-[:PART_OF]->(n:Agency)
  RETURN 'part-of' AS relation, n, 0 AS shared, 0 AS ego_leads, 0 AS neighbor_leads
  UNION ALL
  WITH e
  MATCH (e)<-[:PART_OF]-(n:Agency)
  RETURN 'has-part' AS relation, n, 0 AS shared, 0 AS ego_leads, 0 AS neighbor_leads
  UNION ALL
  WITH e
  MATCH (e)<-[:ISSUED_BY]-(d:Document)-[:ISSUED_BY]->(n:Agency)
  WHERE n <> e
  RETURN 'co-issuer' AS relation, n, count(DISTINCT d) AS shared, 0 AS ego_leads, 0 AS neighbor_leads
}
WITH relation, n, max(shared) AS shared, max(ego_leads) AS ego_leads, max(neighbor_leads) AS neighbor_leads
WHERE relation <> 'co-assigned' OR shared >= $min_shared
RETURN relation, n.id AS neighbor_id, n.name AS neighbor, n.region AS neighbor_region, shared, ego_leads, neighbor_leads
ORDER BY relation, shared DESC, neighbor_id
