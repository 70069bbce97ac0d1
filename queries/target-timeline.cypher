// name: target-timeline
// question: What do the regions target, by year: metric, comparator, value and unit?
// param: region string = null -- only targets of documents of this region
// param: doc string = null -- only targets of this document
// param: metric string = null -- only metrics containing this text (e.g. 产业规模)
// param: year_from int = null -- only targets in force from this year on
// param: year_to int = null -- only targets in force up to this year
// columns: region, year, metric, op, value, unit, doc, target_id
// Targets without a year (annual quotas, 每年…) come last in each region.
MATCH (g:Target)
MATCH (d:Document {document_id: g.doc})
WHERE ($region IS NULL OR d.region = $region) AND ($doc IS NULL OR d.doc = $doc)
  AND ($metric IS NULL OR g.metric CONTAINS $metric)
  AND ($year_from IS NULL OR toInteger(g.year) >= $year_from) AND ($year_to IS NULL OR toInteger(g.year) <= $year_to)
RETURN d.region AS region, toInteger(g.year) AS year, g.metric AS metric, g.op AS op, g.value AS value, g.unit AS unit,
       d.doc AS doc, g.id AS target_id
ORDER BY region, year, metric, target_id
