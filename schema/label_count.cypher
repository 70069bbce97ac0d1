// label_count: how many nodes of {label} there are (the count store: no scan). The loader looks up
// which of a load's nodes exist only for labels that have any.
MATCH (n:{label})
RETURN count(n) AS count
