// name: lead-concentration
// question: How concentrated is the lead work of each plan: the top lead's share and the Herfindahl index?
// param: region string = null -- only documents of this region
// param: doc string = null -- only this document
// columns: region, doc, plan, lead_assignments, lead_agencies, top_lead_id, top_lead, top_led, top_share, hhi
// lead_assignments: (agency, task) LEADS pairs of the plan; shares are each agency's part of them;
// hhi = sum of squared shares (1.0 = one agency leads everything). Ties for the top go to the smaller id.
MATCH (d:Document)-[:CONTAINS]->(t:Task)<-[:LEADS]-(a:Agency)
WHERE ($region IS NULL OR d.region = $region) AND ($doc IS NULL OR d.doc = $doc)
WITH d, a, count(DISTINCT t) AS led
ORDER BY led DESC, a.id
WITH d, collect(a.id) AS ids, collect(a.name) AS names, collect(led) AS counts
WITH d, ids, names, counts, reduce(s = 0, c IN counts | s + c) AS total
RETURN d.region AS region, d.doc AS doc, d.name AS plan, total AS lead_assignments, size(ids) AS lead_agencies,
       ids[0] AS top_lead_id, names[0] AS top_lead, counts[0] AS top_led,
       toFloat(counts[0]) / total AS top_share,
       reduce(h = 0.0, c IN counts | h + (toFloat(c) / total) * (toFloat(c) / total)) AS hhi
ORDER BY region, doc
