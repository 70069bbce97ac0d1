// name: actor-path
// question: How are two actors (agencies or organisations) connected: every shortest path through tasks, sub-tasks, parts and documents they issue or coordinate?
// param: source string -- id of the first actor, e.g. agency:深圳市|科技创新委员会
// param: target string -- id of the second actor
// param: limit int = 10 -- at most this many paths
// columns: hops, node_ids, names, steps
// Paths follow LEADS, SUPPORTS, SUBTASK_OF, PART_OF, INVOLVES, ISSUED_BY and COORDINATES in either
// direction, up to 8 hops (not regions or document containment: every agency of a region or plan would
// be two hops apart). steps[i] is the relationship between names[i] and names[i+1], `TYPE>` or `<TYPE`.
// Equal-length paths come in the order of their node ids.
OPTIONAL MATCH (sa:Agency {id: $source})
OPTIONAL MATCH (so:Organization {id: $source})
OPTIONAL MATCH (ta:Agency {id: $target})
OPTIONAL MATCH (tb:Organization {id: $target})
WITH coalesce(sa, so) AS a, coalesce(ta, tb) AS b
WHERE a IS NOT NULL AND b IS NOT NULL AND a <> b
{{all_shortest_paths p = (a)-[:LEADS|SUPPORTS|SUBTASK_OF|PART_OF|INVOLVES|ISSUED_BY|COORDINATES*..8]-(b)}}
WITH p, nodes(p) AS ns, relationships(p) AS rs
WITH p, ns, rs, reduce(k = '', n IN ns | k + n.id + ' ') AS path_key
RETURN length(p) AS hops, [n IN ns | n.id] AS node_ids, [n IN ns | n.name] AS names,
       [i IN range(0, size(rs) - 1) | CASE WHEN startNode(rs[i]) = ns[i] THEN type(rs[i]) + '>' ELSE '<' + type(rs[i]) END] AS steps
ORDER BY hops, path_key
LIMIT $limit
