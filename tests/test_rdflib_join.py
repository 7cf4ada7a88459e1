"""The hash join the rdflib store installs gives the solutions rdflib's own
nested-loop join gives (and keeps repeated solutions, as SPARQL says),
including when either side leaves a shared variable unbound."""
from __future__ import annotations

from collections import Counter

import pytest
from rdflib import Graph
from rdflib.plugins.sparql import CUSTOM_EVALS

from kg.query.stores import rdflib_join

DATA = """
@prefix : <http://example.org/> .
:a :p 1, 2 ; :q "x" ; :r :b .
:b :p 3 ; :q "y" .
:c :p 4 .
:d :q "z" ; :r :a .
"""

# Each query joins parts rdflib cannot join lazily (one is a subquery under
# DISTINCT or LIMIT), so the join is the non-lazy one.
QUERIES = {
    "shared variable": """
        SELECT * WHERE {
          { SELECT DISTINCT ?s ?o WHERE { ?s <http://example.org/p> ?o } }
          { SELECT DISTINCT ?s ?x WHERE { ?s <http://example.org/q> ?x } }
        }""",
    "left leaves it unbound": """
        SELECT * WHERE {
          { SELECT DISTINCT ?s ?t WHERE { ?s <http://example.org/p> ?o
                                          OPTIONAL { ?s <http://example.org/r> ?t } } }
          { SELECT DISTINCT ?t ?x WHERE { ?t <http://example.org/q> ?x } }
        }""",
    "right leaves it unbound": """
        SELECT * WHERE {
          { SELECT DISTINCT ?t WHERE { ?t <http://example.org/q> ?x } }
          { SELECT DISTINCT ?s ?t WHERE { ?s <http://example.org/p> ?o
                                          OPTIONAL { ?s <http://example.org/r> ?t } } }
        }""",
    "no shared variable": """
        SELECT * WHERE {
          { SELECT DISTINCT ?s WHERE { ?s <http://example.org/p> ?o } }
          { SELECT DISTINCT ?x WHERE { ?y <http://example.org/q> ?x } }
        }""",
    "empty right": """
        SELECT * WHERE {
          { SELECT DISTINCT ?s WHERE { ?s <http://example.org/p> ?o } }
          { SELECT DISTINCT ?s WHERE { ?s <http://example.org/nothing> ?o } }
        }""",
    "under LIMIT": """
        SELECT * WHERE {
          { SELECT ?s ?o WHERE { ?s <http://example.org/p> ?o } ORDER BY ?o LIMIT 3 }
          ?s <http://example.org/q> ?x .
        }""",
}


def answers(graph: Graph, query: str) -> Counter:
    return Counter(tuple(sorted((str(k), v) for k, v in row.asdict().items()))
                   for row in graph.query(query))


@pytest.fixture()
def graph():
    rdflib_join.install()  # as the rdflib store does when it is imported
    g = Graph()
    g.parse(data=DATA, format="turtle")
    return g


@pytest.fixture()
def calls(monkeypatch):
    """Counts the joins the hash join evaluates (rather than passes on)."""
    seen = []

    def counting(ctx, part):
        result = rdflib_join.hash_join(ctx, part)
        seen.append(part.name)
        return result
    monkeypatch.setitem(CUSTOM_EVALS, rdflib_join.NAME, counting)
    return seen


@pytest.mark.parametrize("name", sorted(QUERIES))
def test_same_solutions_as_rdflibs_join(graph, calls, monkeypatch, name):
    ours = answers(graph, QUERIES[name])
    assert calls, "the hash join was not used"
    monkeypatch.delitem(CUSTOM_EVALS, rdflib_join.NAME)
    assert ours == answers(graph, QUERIES[name])


def test_expected_answers(graph):
    rows = answers(graph, QUERIES["left leaves it unbound"])
    # :a links to :b (which has :q "y"); :b and :c link to nothing, so they
    # join with every ?t of the right side (:a, :b, :d)
    assert sum(rows.values()) == 1 + 3 + 3


def test_repeated_solutions_are_kept(graph, calls):
    query = """SELECT ?s WHERE {
        { SELECT DISTINCT ?s WHERE { ?s <http://example.org/q> ?x } }
        { SELECT ?s WHERE { ?s <http://example.org/p> ?o } }
    }"""
    counted = Counter(str(row.s) for row in graph.query(query))
    assert calls
    # :a has two values of :p, so the right side gives it twice
    assert counted == {"http://example.org/a": 2, "http://example.org/b": 1}


def test_lazy_joins_are_left_to_rdflib(graph, calls):
    list(graph.query("SELECT * WHERE { ?s <http://example.org/p> ?o . "
                     "OPTIONAL { ?s <http://example.org/q> ?x } }"))
    assert "Join" not in calls
