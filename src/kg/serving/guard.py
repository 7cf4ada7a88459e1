"""What a public query must pass before any engine sees it.

In order: its size, how deeply its brackets nest (counted before parsing, so
a query built to overflow a parser's or an engine's stack never reaches
one), then rdflib's parser. The parsed algebra, after the grammar's
``\\uXXXX`` escapes are expanded, is what is checked: no update, no SERVICE
in any spelling, no FROM / FROM NAMED naming a graph the dataset does not
hold (rdflib would fetch it over HTTP), and no shape whose cost has no bound
(:mod:`kg.serving.cost_guard`). The text that was checked, escapes expanded, is the
text that runs.
"""
from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache

from pyparsing import ParseException
from rdflib.plugins.sparql.parser import expandUnicodeEscapes
from rdflib.plugins.sparql.parserutils import CompValue

from kg.query.syntax import parse_query, parse_update, syntax_message
from kg.serving.cost_guard import refuse_costly, walk
from kg.errors import QueryError, Refused, TooLarge
from kg.serving.limits import Limits
from kg.nesting import too_deep

KINDS = {"SelectQuery": "SELECT", "AskQuery": "ASK", "ConstructQuery": "CONSTRUCT", "DescribeQuery": "DESCRIBE"}
READ_ONLY = "this endpoint is read-only: SPARQL Update (INSERT, DELETE, LOAD, CLEAR, …) is not allowed"


@dataclass(frozen=True)
class CheckedQuery:
    text: str  # escapes expanded: what was checked is what runs
    kind: str  # SELECT, ASK, CONSTRUCT or DESCRIBE


@lru_cache(maxsize=512)  # a public endpoint sees the same queries again and again
def check_query(text: str, graphs: frozenset, limits: Limits = Limits()) -> CheckedQuery:
    """The query ready to run, or the error that refuses it."""
    if len(text.encode("utf-8")) > limits.max_query_bytes:
        raise TooLarge(f"query text over {limits.max_query_bytes} bytes")
    text = expandUnicodeEscapes(text)
    if too_deep(text, limits.max_nesting) is not None:
        raise QueryError(f"query nested more than {limits.max_nesting} brackets deep")
    algebra = _parse(text)
    _refuse_service(algebra)
    refuse_costly(algebra)
    for clause in algebra.get("datasetClause") or ():
        check_graph(clause.default or clause.named, "FROM NAMED" if clause.named else "FROM", graphs)
    return CheckedQuery(text, KINDS[algebra.name])


def check_graph(iri, where: str, graphs: frozenset) -> None:
    if str(iri) not in graphs:
        raise Refused(f"{where} <{iri}>: no such graph in this dataset (nothing is fetched from elsewhere)")


def _parse(text: str) -> CompValue:
    try:
        return parse_query(text).algebra
    except ParseException as err:
        if is_update(text):
            raise Refused(READ_ONLY) from None
        raise QueryError(syntax_message(err, text)) from None
    except RecursionError:
        raise QueryError("query nested too deeply to parse") from None
    except Exception as err:  # rdflib's algebra raises plain exceptions for unknown prefixes and scoping errors
        raise QueryError(syntax_message(err, text)) from None


def is_update(text: str) -> bool:
    try:
        parse_update(text)
        return True
    except (ParseException, RecursionError):
        return False


def _refuse_service(algebra) -> None:
    if any(node.name == "ServiceGraphPattern" for node in walk(algebra)):
        raise Refused("SERVICE (federated query) is not allowed: this endpoint makes no outbound requests")
