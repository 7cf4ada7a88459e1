"""Query layer: the named queries and running any query.

``queries/*.rq`` are the research questions (the competency questions);
``queries/web/`` holds what the explorer's pages ask and ``queries/stats/``
what ``kg stats`` asks. Names are the file stems, unique across the folders.

A named query starts with ``#`` lines: the question in English, then
``# param: NAME — meaning`` for each parameter. Parameters are parsed into
RDF terms and bound (never pasted into the text).
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

from kg.errors import QueryError
from kg.paths import project_dir
from kg.query.formats import rdf_text
from kg.query.syntax import parse_query, syntax_message
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


def resolve(query: str) -> tuple[str, dict[str, str] | None]:
    """A query given as a name, a .rq path or SPARQL text → (text, declared
    params; None for SPARQL text, which may bind any of its variables)."""
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
    return query, None


def check_syntax(text: str) -> None:
    """Raise QueryError with line and column for a malformed query."""
    try:
        parse_query(text)
    except RecursionError:
        raise QueryError("query nested too deeply to parse") from None
    except Exception as err:  # rdflib raises plain exceptions for unknown prefixes and scoping errors
        raise QueryError(syntax_message(err, text)) from None


def bind_params(raw: list[str], declared: dict[str, str] | None) -> dict:
    bindings = {}
    for item in raw:
        if "=" not in item:
            raise QueryError(f"--param: expected NAME=VALUE, got '{item}'")
        name, value = item.split("=", 1)
        if not re.fullmatch(r"[A-Za-z_]\w*", name):
            raise QueryError(f"--param: bad parameter name '{name}'")
        if declared is not None and name not in declared:
            takes = f"takes: {', '.join(declared)}" if declared else "it takes none"
            raise QueryError(f"--param: the query takes no parameter '{name}' ({takes})")
        bindings[name] = parse_term(value, f"--param {name}")
    return bindings


# --format for SELECT and ASK; for CONSTRUCT and DESCRIBE: --format -> rdflib's serializer
TABLE_FORMATS = ("table", "csv", "tsv", "json", "xml")
GRAPH_FORMATS = {"ttl": "turtle", "turtle": "turtle", "nt": "nt", "ntriples": "nt",
                 "jsonld": "json-ld", "json-ld": "json-ld", "rdfxml": "xml"}


def check_format(fmt: str | None) -> None:
    """Refuse an unknown --format before the query runs."""
    if fmt is not None and fmt not in TABLE_FORMATS and fmt not in GRAPH_FORMATS:
        raise QueryError(f"--format: unknown format '{fmt}' (SELECT and ASK: {', '.join(TABLE_FORMATS)}; "
                         f"CONSTRUCT and DESCRIBE: ttl, nt, jsonld, rdfxml)")


def format_result(result, fmt: str) -> str:
    """table|csv|tsv|json|xml for SELECT/ASK (ASK as CSV or TSV: the one-column
    table ``_askResult`` holding true or false, as Jena writes it: the SPARQL
    1.1 formats define none); ttl|nt|jsonld|rdfxml for CONSTRUCT."""
    from kg.query.formats import serialize
    check_format(fmt)
    if result.kind == "CONSTRUCT":
        fmt = {"table": "ttl", "xml": "rdfxml"}.get(fmt, fmt)  # xml: RDF/XML, as it always meant here
        if fmt not in GRAPH_FORMATS:
            raise QueryError(f"--format: {fmt} is a results format; a {result.kind} answer is a graph "
                             "(ttl, nt, jsonld, rdfxml)")
        return rdf_text(result.graph, GRAPH_FORMATS[fmt])
    if fmt not in TABLE_FORMATS:
        raise QueryError(f"--format: {fmt} is an RDF format; the answer to {result.kind} is a table "
                         f"({', '.join(TABLE_FORMATS)})")
    if fmt == "table":
        return _table(result)
    return serialize(result, fmt).decode("utf-8")


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
