// read_nodes: every node with its labels and properties (for read-back and checks).
MATCH (n)
RETURN labels(n) AS labels, properties(n) AS props
ORDER BY n.id
