"""The label and relationship-type whitelist the queries may name, and the lookup indexes.

The source of truth is `schema/` (policykg.schema); when it publishes its names they are read from
there, otherwise the minimum schema of the specification is used.
"""
from __future__ import annotations

from functools import lru_cache

SPEC_LABELS = frozenset({"Document", "Region", "Agency", "Organization", "Task", "Technology", "Park",
                         "Target", "Funding", "Policy"})
SPEC_TYPES = frozenset({"LEADS", "SUPPORTS", "CONTAINS", "SUBTASK_OF", "ADDRESSES", "INVOLVES", "LOCATED_IN",
                        "PART_OF", "BELONGS_TO", "SETS", "FUNDS", "CITES", "COVERS", "ISSUED_BY",
                        "COORDINATES", "FOCUSES_ON"})

# (label, property) pairs the named queries filter on, indexed on both engines (`id` is indexed on
# every label through its unique constraint).
LOOKUP_INDEXES: tuple[tuple[str, str], ...] = (
    ("Agency", "region"),
    ("Agency", "name"),
    ("Task", "doc"),
    ("Document", "doc"),
    ("Document", "region"),
    ("Target", "doc"),
    ("Target", "year"),
    ("Park", "region"),
    ("Technology", "name"),
    ("Policy", "name"),
)


@lru_cache(maxsize=1)
def _from_schema() -> tuple[frozenset[str], frozenset[str]] | None:
    try:
        from policykg import schema as schema_pkg
    except ImportError:
        return None
    labels = getattr(schema_pkg, "LABELS", None)
    types = getattr(schema_pkg, "REL_TYPES", None) or getattr(schema_pkg, "RELATIONSHIP_TYPES", None)
    if callable(labels):
        labels = labels()
    if callable(types):
        types = types()
    if not labels or not types:
        return None
    return frozenset(labels), frozenset(types)


def schema_labels() -> frozenset[str]:
    found = _from_schema()
    return (found[0] | SPEC_LABELS) if found else SPEC_LABELS


def schema_types() -> frozenset[str]:
    found = _from_schema()
    return (found[1] | SPEC_TYPES) if found else SPEC_TYPES
