"""The label and relationship-type whitelist the queries may name, and the indexes to create: all
from schema/schema.yaml (policykg.schema), the single source of truth."""
from __future__ import annotations

from typing import Iterable

from policykg.errors import SchemaError


def _schema():
    from policykg.graph_build.neo4j_schema import load_schema

    return load_schema()


def schema_labels() -> frozenset[str]:
    return frozenset(_schema().labels)


def schema_types() -> frozenset[str]:
    return frozenset(_schema().relationships)


def lookup_indexes() -> list[tuple[str, str]]:
    """(label, property) pairs to index: the key of every label, then each label's lookup indexes."""
    schema = _schema()
    out = [(label, schema.key) for label in sorted(schema.labels)]
    for label, spec in sorted(schema.labels.items()):
        out += [(label, prop) for prop in spec.indexes if prop != schema.key]
    return out


def check_names(names: Iterable[str], allowed: Iterable[str], what: str) -> None:
    """Labels and relationship types go into query text, so only whitelisted names pass."""
    bad = sorted(set(names) - set(allowed))
    if bad:
        raise SchemaError(f"unknown {what} {', '.join(bad)} (not in schema/schema.yaml)")
