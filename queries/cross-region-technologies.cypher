// name: cross-region-technologies
// question: Which technologies do the regions' plans address, and which are shared by several regions or unique to one?
// param: region string = null -- only technologies this region addresses (the other regions are still listed)
// columns: technology_id, technology, n_regions, shared, regions, tasks
// A region addresses a technology when a task of a document issued for it addresses it (d.region).
MATCH (d:Document)-[:CONTAINS]->(t:Task)-[:ADDRESSES]->(x:Technology)
WITH x, d.region AS region, count(DISTINCT t) AS n
ORDER BY region
WITH x, collect(region) AS regions, toInteger(sum(n)) AS tasks
WHERE $region IS NULL OR $region IN regions
RETURN x.id AS technology_id, x.name AS technology, size(regions) AS n_regions, size(regions) > 1 AS shared,
       regions, tasks
ORDER BY n_regions DESC, technology_id
