// name: agency-ego
// question: Who is in one agency's ego network: co-assigned agencies (with shared-task counts), its parent and sub-units, its co-issuers?
// param: agency string -- the agency's id, e.g. agency:中山市|科学技术局
// param: min_shared int = 1 -- co-assigned agencies sharing at least this many tasks
// columns: relation, neighbor_id, neighbor, neighbor_region, shared, ego_leads, neighbor_leads
// relation: co-assigned (shared = tasks both are assigned to; ego_leads / neighbor_leads = of those, the
// ones each leads), part-of (the neighbor is the agency's parent), has-part (a sub-unit), co-issuer
// (shared = documents both issued).
MATCH (e:Agency {id: $agency})
OPTIONAL MATCH (e)-[re:LEADS|SUPPORTS]->(t:Task)
OPTIONAL MATCH (t)<-[rn:LEADS|SUPPORTS]-(n:Agency)
WHERE n <> e
WITH e, n,
     count(DISTINCT t) AS shared,
     count(DISTINCT CASE WHEN type(re) = 'LEADS' THEN t END) AS ego_leads,
     count(DISTINCT CASE WHEN type(rn) = 'LEADS' THEN t END) AS neighbor_leads
WITH e, collect(CASE WHEN n IS NOT NULL AND shared >= $min_shared THEN
       {relation: 'co-assigned', n: n, shared: shared, ego_leads: ego_leads, neighbor_leads: neighbor_leads} END) AS co
OPTIONAL MATCH (e)-[:PART_OF]->(parent:Agency)
WITH e, co, collect(CASE WHEN parent IS NOT NULL THEN
       {relation: 'part-of', n: parent, shared: 0, ego_leads: 0, neighbor_leads: 0} END) AS parents
OPTIONAL MATCH (e)<-[:PART_OF]-(child:Agency)
WITH e, co, parents, collect(CASE WHEN child IS NOT NULL THEN
       {relation: 'has-part', n: child, shared: 0, ego_leads: 0, neighbor_leads: 0} END) AS children
OPTIONAL MATCH (e)<-[:ISSUED_BY]-(d:Document)
OPTIONAL MATCH (d)-[:ISSUED_BY]->(c:Agency)
WHERE c <> e
WITH e, co, parents, children, c, count(DISTINCT d) AS docs
WITH co, parents, children, collect(CASE WHEN c IS NOT NULL THEN
       {relation: 'co-issuer', n: c, shared: docs, ego_leads: 0, neighbor_leads: 0} END) AS issuers
UNWIND co + parents + children + issuers AS x
WITH x, x.n AS n
RETURN x.relation AS relation, n.id AS neighbor_id, n.name AS neighbor, n.region AS neighbor_region,
       x.shared AS shared, x.ego_leads AS ego_leads, x.neighbor_leads AS neighbor_leads
ORDER BY relation, shared DESC, neighbor_id
