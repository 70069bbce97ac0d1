"""Run a named query on an engine: bind and check its parameters, render its text for the engine,
check the returned columns against the header, decode JSON columns."""
from __future__ import annotations

import json
import time
from dataclasses import dataclass, field
from typing import Any, Mapping

from policykg.errors import QueryError
from policykg.queries.catalog import NamedQuery, get_query


@dataclass(frozen=True)
class QueryResult:
    query: str
    columns: list[str]
    rows: list[list[Any]]
    params: dict[str, Any] = field(default_factory=dict)
    engine: str = ""
    seconds: float = 0.0

    def records(self) -> list[dict[str, Any]]:
        return [dict(zip(self.columns, row)) for row in self.rows]


def _decode(value: Any, column: str, query: str) -> Any:
    if value is None or not isinstance(value, str):
        return value
    try:
        return json.loads(value)
    except json.JSONDecodeError:
        raise QueryError(f"query {query!r}: column {column!r} is not JSON") from None


def run_query(engine, name_or_query: str | NamedQuery, params: Mapping[str, Any] | None = None) -> QueryResult:
    query = get_query(name_or_query) if isinstance(name_or_query, str) else name_or_query
    bound = query.bind(params)
    started = time.perf_counter()
    if query.kind == "python":
        columns, rows = query.column_names, query.func(engine, bound)
    else:
        columns, rows = engine.run(query.text, bound)
    elapsed = time.perf_counter() - started
    if list(columns) != query.column_names:
        raise QueryError(f"query {query.name!r} returned columns {list(columns)}, its header says "
                         f"{query.column_names}")
    json_cols = [i for i, c in enumerate(query.columns) if c.json]
    if json_cols:
        rows = [[_decode(v, query.columns[i].name, query.name) if i in json_cols else v for i, v in enumerate(row)]
                for row in rows]
    return QueryResult(query.name, list(columns), [list(r) for r in rows], bound,
                       getattr(engine, "name", ""), elapsed)
