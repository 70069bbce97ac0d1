// constraint_key: the uniqueness constraint on a label's key (one per label; idempotent).
// Placeholders from schema.yaml only: {label}, {key}.
CREATE CONSTRAINT {label}_{key}_unique IF NOT EXISTS FOR (n:{label}) REQUIRE n.{key} IS UNIQUE
