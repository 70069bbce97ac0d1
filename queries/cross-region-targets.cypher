// name: cross-region-targets
// question: Which target metrics do the regions set, and which are shared by several regions or unique to one?
// param: region string = null -- only metrics this region sets (the other regions are still listed)
// columns: metric, n_regions, shared, regions, targets, years
// The region of a target is the region of the document that sets it.
MATCH (g:Target)
MATCH (d:Document {doc: g.doc})
WITH g.metric AS metric, d.region AS region, g
ORDER BY region
WITH metric, collect(DISTINCT region) AS regions, count(DISTINCT g) AS targets
WHERE $region IS NULL OR $region IN regions
MATCH (g:Target {metric: metric})
WITH metric, regions, targets, g.year AS year
ORDER BY year
WITH metric, regions, targets, collect(DISTINCT year) AS years
RETURN metric, size(regions) AS n_regions, size(regions) > 1 AS shared, regions, targets, years
ORDER BY n_regions DESC, metric
