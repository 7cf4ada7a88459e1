"""Query layer: the named queries and running any query.

``queries/*.rq`` are the research questions (the competency questions);
``queries/web/`` holds what the explorer's pages ask and ``queries/stats/``
what ``kg stats`` asks. Names are the file stems, unique across the folders.

A named query starts with ``#`` lines: the question in English, then
``# param: NAME — meaning`` for each parameter. Parameters are parsed into
RDF terms and bound (never pasted into the text).
"""
from __future__ import annotations

import io
import re
from dataclasses import dataclass
from pathlib import Path

from rdflib.plugins.sparql import prepareQuery

from kg.errors import QueryError
from kg.paths import project_dir
from kg.query.formats import rdf_text
from kg.terms import parse_term

PARAM = re.compile(r"^#\s*param:\s*(\w+)\s*(?:[—-]+\s*(.*))?$")


# The groups of named queries in the order ``kg query --list`` shows them:
# (folder under queries/, heading).
GROUPS = (("", "Research questions"), ("web", "Explorer pages"), ("stats", "kg stats"))


@dataclass
class NamedQuery:
    name: str
    path: Path
    text: str
    question: str
    params: dict[str, str]
    group: str = ""


def queries_dir() -> Path:
    return project_dir() / "queries"


def named_queries() -> dict[str, NamedQuery]:
    """Every named query, research questions first, then each group's."""
    found = {}
    for folder, _heading in GROUPS:
        for path in sorted((queries_dir() / folder).glob("*.rq")):
            query = read_query(path)
            query.group = folder
            found[path.stem] = query
    return found


def read_query(path: Path) -> NamedQuery:
    text = path.read_text(encoding="utf-8")
    question, params = [], {}
    for line in text.splitlines():
        if not line.startswith("#"):
            break
        match = PARAM.match(line)
        if match:
            params[match.group(1)] = (match.group(2) or "").strip()
        else:
            question.append(line.lstrip("#").strip())
    return NamedQuery(path.stem, path, text, " ".join(q for q in question if q), params)


def resolve(query: str) -> tuple[str, dict[str, str]]:
    """A query given as a name, a .rq path or SPARQL text → (text, declared params)."""
    candidate = Path(query)
    if query.endswith(".rq"):
        if not candidate.exists():
            raise QueryError(f"query file not found: {query}")
        named = read_query(candidate)
        return named.text, named.params
    if re.fullmatch(r"[\w.-]+", query):
        known = named_queries()
        if query in known:
            return known[query].text, known[query].params
        raise QueryError(f"unknown query name '{query}' (see kg query --list)")
    return query, {}


def check_syntax(text: str) -> None:
    """Raise QueryError with line and column for a malformed query."""
    try:
        prepareQuery(text)
    except Exception as err:
        line, col = getattr(err, "lineno", None), getattr(err, "col", None)
        where = f"line {line}, column {col}: " if line else ""
        message = str(getattr(err, "msg", err)).splitlines()[0]
        raise QueryError(f"syntax error at {where}{message}") from None


def bind_params(raw: list[str], declared: dict[str, str]) -> dict:
    bindings = {}
    for item in raw:
        if "=" not in item:
            raise QueryError(f"--param: expected NAME=VALUE, got '{item}'")
        name, value = item.split("=", 1)
        if not re.fullmatch(r"[A-Za-z_]\w*", name):
            raise QueryError(f"--param: bad parameter name '{name}'")
        if declared and name not in declared:
            raise QueryError(f"--param: the query takes no parameter '{name}' (takes: {', '.join(declared)})")
        bindings[name] = parse_term(value, f"--param {name}")
    return bindings


def format_result(result, fmt: str) -> str:
    """table|csv|tsv|json|xml for SELECT/ASK; ttl|nt|jsonld for CONSTRUCT."""
    if result.kind == "CONSTRUCT":
        rdf_format = {"table": "turtle", "ttl": "turtle", "turtle": "turtle", "nt": "nt",
                      "ntriples": "nt", "jsonld": "json-ld", "json-ld": "json-ld", "xml": "xml"}.get(fmt)
        if rdf_format is None:
            raise QueryError(f"--format: {fmt} is not an RDF format (ttl, nt, jsonld, xml)")
        return rdf_text(result.graph, rdf_format)
    if fmt == "table":
        return _table(result)
    if fmt in ("csv", "tsv", "json", "xml"):
        buffer = io.BytesIO()
        result.to_rdflib().serialize(buffer, format=fmt)
        return buffer.getvalue().decode("utf-8")
    raise QueryError(f"--format: unknown format '{fmt}' (table, csv, tsv, json, xml)")


def _table(result) -> str:
    if result.kind == "ASK":
        return "true" if result.boolean else "false"
    from rdflib import Literal

    from kg.terms import short
    shown = lambda t: str(t) if isinstance(t, Literal) else short(t)  # noqa: E731
    cells = [[shown(row[v]) if v in row else "" for v in result.vars] for row in result.rows]
    widths = [min(60, max([len(v)] + [len(r[i]) for r in cells])) for i, v in enumerate(result.vars)]
    clip = lambda s, w: s if len(s) <= w else s[: w - 1] + "…"  # noqa: E731
    lines = [" | ".join(v.ljust(w) for v, w in zip(result.vars, widths))]
    lines.append("-+-".join("-" * w for w in widths))
    lines += [" | ".join(clip(c, w).ljust(w) for c, w in zip(r, widths)) for r in cells]
    lines.append(f"({len(cells)} rows)")
    return "\n".join(lines)
