// clear_database: delete everything, in batches (auto-commit transaction; Neo4j-specific).
MATCH (n)
CALL (n) { DETACH DELETE n } IN TRANSACTIONS OF 10000 ROWS
