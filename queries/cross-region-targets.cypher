// name: cross-region-targets
// question: Which target metrics do the regions set, and which are shared by several regions or unique to one?
// param: region string = null -- only metrics this region sets (the other regions are still listed)
// columns: metric, n_regions, shared, regions, targets, years
// The region of a target is the region of the document that sets it; years: the distinct years in force
// (annual quotas have none).
MATCH (g:Target)
MATCH (d:Document {document_id: g.doc})
WITH g, d.region AS region
ORDER BY region
WITH g.metric AS metric, collect(DISTINCT region) AS regions, collect(DISTINCT g) AS targets
WHERE metric IS NOT NULL AND ($region IS NULL OR $region IN regions)
UNWIND targets AS g
WITH metric, regions, size(targets) AS n_targets, toInteger(g.year) AS year
ORDER BY year
WITH metric, regions, n_targets, collect(DISTINCT year) AS years
RETURN metric, size(regions) AS n_regions, size(regions) > 1 AS shared, regions, n_targets AS targets, years
ORDER BY n_regions DESC, metric
