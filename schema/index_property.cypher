// index_property: a range index on a lookup property (idempotent).
// Placeholders from schema.yaml only: {label}, {property}.
CREATE INDEX {label}_{property} IF NOT EXISTS FOR (n:{label}) ON (n.{property})
