"""The named-query catalog: one `.cypher` file per question, plus the Python analytics.

A query file starts with a header of `//` lines, then the Cypher text:

    // name: agency-workload
    // question: How many tasks does each agency lead and support, by region?
    // param: region string = null -- only agencies of this region (e.g. 深圳市)
    // param: limit int = 100 -- at most this many rows
    // columns: region, agency_id, agency, led, supported, total

A parameter without `= default` is required; `= null` makes it optional (the query sees null).
Types: string, int, float, bool. Columns may carry `:json` (a JSON string the runner decodes, e.g.
evidence). Values reach the engine only as `$parameters`; the runner never formats them into text.
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from typing import Any, Callable, Mapping

from policykg.errors import QueryError

QUERY_DIR = Path(__file__).resolve().parent
PARAM_TYPES = ("string", "int", "float", "bool")
_NAME = re.compile(r"^[a-z][a-z0-9-]*$")
_PARAM = re.compile(r"^(?P<name>[a-z_][a-z0-9_]*)\s+(?P<type>\w+)(?:\s*=\s*(?P<default>\S+))?\s*(?:--\s*(?P<doc>.*))?$")
_TRUE = {"true", "yes", "1", "on"}
_FALSE = {"false", "no", "0", "off"}


@dataclass(frozen=True)
class Param:
    name: str
    type: str
    default: Any = None
    required: bool = True
    description: str = ""

    def convert(self, raw: Any) -> Any:
        """A command-line string (or an already typed value) as this parameter's type."""
        if raw is None:
            if self.required:
                raise QueryError(f"parameter {self.name!r} must not be null")
            return None
        try:
            if self.type == "string":
                if not isinstance(raw, str):
                    raise ValueError
                return raw
            if self.type == "int":
                if isinstance(raw, bool) or isinstance(raw, float):
                    raise ValueError
                return int(raw)
            if self.type == "float":
                if isinstance(raw, bool):
                    raise ValueError
                return float(raw)
            if self.type == "bool":
                if isinstance(raw, bool):
                    return raw
                low = str(raw).strip().lower()
                if low in _TRUE:
                    return True
                if low in _FALSE:
                    return False
                raise ValueError
        except (TypeError, ValueError):
            raise QueryError(f"parameter {self.name!r} must be {self.type}, got {raw!r}") from None
        raise QueryError(f"parameter {self.name!r} has unknown type {self.type!r}")  # pragma: no cover

    def usage(self) -> str:
        if self.required:
            return f"{self.name} ({self.type}, required)"
        return f"{self.name} ({self.type}, default {'null' if self.default is None else self.default})"


@dataclass(frozen=True)
class Column:
    name: str
    json: bool = False


@dataclass(frozen=True)
class NamedQuery:
    """One question users ask. `text` is Cypher (kind "cypher") or None for a Python analytic,
    whose `func(engine, params) -> rows` lives in queries/analytics.py."""

    name: str
    question: str
    params: tuple[Param, ...]
    columns: tuple[Column, ...]
    kind: str = "cypher"
    text: str | None = None
    source: str = ""
    func: Callable | None = field(default=None, compare=False)

    @property
    def column_names(self) -> list[str]:
        return [c.name for c in self.columns]

    def bind(self, raw: Mapping[str, Any] | None = None) -> dict[str, Any]:
        """Validated, typed parameters with defaults filled in; QueryError names what is wrong."""
        raw = dict(raw or {})
        known = {p.name: p for p in self.params}
        unknown = sorted(set(raw) - set(known))
        if unknown:
            expected = ", ".join(p.usage() for p in self.params) or "none"
            raise QueryError(f"query {self.name!r} has no parameter {', '.join(map(repr, unknown))} "
                             f"(parameters: {expected})")
        bound: dict[str, Any] = {}
        for p in self.params:
            if p.name in raw:
                bound[p.name] = p.convert(raw[p.name])
            elif p.required:
                raise QueryError(f"query {self.name!r} needs parameter {p.name!r} ({p.type}): "
                                 f"{p.description or 'no description'}")
            else:
                bound[p.name] = p.default
        return bound


def _default(ptype: str, text: str | None, where: str) -> tuple[Any, bool]:
    if text is None:
        return None, True
    if text == "null":
        return None, False
    probe = Param("default", ptype)
    try:
        return probe.convert(text), False
    except QueryError:
        raise QueryError(f"{where}: default {text!r} is not a {ptype}") from None


def parse_header(text: str, where: str) -> tuple[dict, str]:
    """Split a query file into its header fields and its body."""
    lines = text.splitlines()
    fields: dict[str, list[str]] = {}
    i = 0
    while i < len(lines) and (lines[i].startswith("//") or not lines[i].strip()):
        line = lines[i][2:].strip() if lines[i].startswith("//") else ""
        i += 1
        if not line:
            continue
        key, sep, value = line.partition(":")
        if not sep:
            continue  # a free comment line in the header
        fields.setdefault(key.strip().lower(), []).append(value.strip())
    body = "\n".join(lines[i:]).strip()
    return fields, body


def parse_query(text: str, where: str) -> NamedQuery:
    fields, body = parse_header(text, where)
    for key in ("name", "question", "columns"):
        if key not in fields:
            raise QueryError(f"{where}: header has no '{key}:' line")
    name = fields["name"][0]
    if not _NAME.match(name):
        raise QueryError(f"{where}: bad query name {name!r}")
    params = []
    for spec in fields.get("param", []):
        m = _PARAM.match(spec)
        if not m or m["type"] not in PARAM_TYPES:
            raise QueryError(f"{where}: bad parameter line {spec!r} (NAME TYPE [= DEFAULT] [-- description])")
        default, required = _default(m["type"], m["default"], where)
        params.append(Param(m["name"], m["type"], default, required, (m["doc"] or "").strip()))
    columns = []
    for col in ",".join(fields["columns"]).split(","):
        col = col.strip()
        if not col:
            continue
        cname, _, ctype = col.partition(":")
        columns.append(Column(cname.strip(), ctype.strip() == "json"))
    if not body and fields.get("kind", ["cypher"])[0] == "cypher":
        raise QueryError(f"{where}: no Cypher text after the header")
    return NamedQuery(name=name, question=fields["question"][0], params=tuple(params), columns=tuple(columns),
                      kind="cypher", text=body, source=where)


@lru_cache(maxsize=1)
def load_catalog() -> dict[str, NamedQuery]:
    """Every named query: the `.cypher` files of this folder and the analytics, sorted by name."""
    from policykg.queries import analytics

    found: dict[str, NamedQuery] = {}
    for path in sorted(QUERY_DIR.glob("*.cypher")):
        q = parse_query(path.read_text(encoding="utf-8"), path.name)
        if q.name != path.stem:
            raise QueryError(f"{path.name}: header name {q.name!r} differs from the file name")
        found[q.name] = q
    for q in analytics.ANALYTICS:
        if q.name in found:
            raise QueryError(f"analytic {q.name!r} clashes with {found[q.name].source}")
        found[q.name] = q
    return dict(sorted(found.items()))


def get_query(name: str) -> NamedQuery:
    catalog = load_catalog()
    if name not in catalog:
        close = [n for n in catalog if name in n or n in name]
        hint = f" (did you mean {', '.join(close)}?)" if close else ""
        raise QueryError(f"no named query {name!r}{hint}; `policykg query --list` shows them")
    return catalog[name]
