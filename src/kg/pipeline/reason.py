"""Reason layer: OWL 2 RL closure plus the domain rules, to a fixpoint.

The result holds only what is new (not asserted) and not noise
(``kg.noise``), and for every inferred triple the rule and premises that
produced it, which ``kg.explain`` turns into a derivation tree.

:class:`Inference` (what :func:`reason` returns):

- ``inferred``: a set of rdflib triples, the new ones without noise;
- ``why``: a read-only mapping, triple -> (rule name, premises), for every
  triple the engine derived (noise included; empty for owlrl). From our
  engine it is a :class:`kg.pipeline.engine.Derivations`, which also has
  ``why.flat()``: (triple, rule, premise, premise …) for each derived triple,
  as the engine stores them, with no tuple made per row beyond that one;
- ``closure``: everything that holds, noise included (``in`` and iteration;
  a set);
- ``index``: the closure indexed (``pairs(p)``, ``objects(s, p)``,
  ``subjects(p, o)``): the engine's store (None from owlrl);
- ``rounds``, ``engine`` ("kg", or "owlrl" for the fallback).
"""
from __future__ import annotations

import gc
from collections.abc import Mapping
from dataclasses import dataclass, field

from kg.errors import KgError
from kg.pipeline.noise import is_noise
from kg.pipeline.engine import Derivations, Engine, GraphView, unsupported_constructs
from kg.pipeline.rules import Rule


@dataclass
class Inference:
    inferred: set = field(default_factory=set)
    why: Mapping = field(default_factory=dict)  # triple -> (rule name, premises)
    rounds: int = 0
    engine: str = "kg"
    closure: set = field(default_factory=set)  # everything that holds, noise too: for kg.pipeline.consistency
    index: object = None  # the engine's Store: the closure by predicate, for kg.pipeline.consistency


def reason(asserted: set, rules: list[Rule], progress=None) -> Inference:
    """Closure of ``asserted`` under OWL 2 RL and ``rules``."""
    if unsupported_constructs(asserted):
        return _reason_with_owlrl(asserted, rules, progress)
    # The engine makes millions of small tuples and frees none of them until
    # it is done: the cyclic garbage collector would only rescan them, more
    # often the larger the graph (about a third of the time at 100x).
    collecting = gc.isenabled()
    gc.disable()
    try:
        return _reason(asserted, rules, progress)
    finally:
        if collecting:
            gc.enable()


def _reason(asserted: set, rules: list[Rule], progress=None) -> Inference:
    engine = Engine()
    engine.assert_triples(asserted)

    def triples_with(predicate):
        if predicate is None:
            return engine.store.triples
        return ((s, predicate, o) for s, o in engine.store.pairs(predicate))

    view = GraphView(engine.store)
    rounds = 0
    while True:
        rounds += 1
        engine.run()
        added = 0
        for rule in rules:
            found = rule.matches_in(view) if rule.predicates is not None else rule.matches(triples_with)
            for conclusion, premises in found:
                premises = tuple(engine.intern(t) for t in premises)
                added += engine.derive(engine.intern(conclusion), f"rules/{rule.path.name}", premises)
        if progress:
            progress(f"round {rounds}: {len(engine.why)} derived")
        if not added:
            break
    # engine.why holds only triples that were not known, the asserted included
    inferred = {t for t in engine.why if not is_noise(t)}
    return Inference(inferred, Derivations(engine.why), rounds, closure=engine.store.triples,
                     index=engine.store)


def _reason_with_owlrl(asserted: set, rules: list[Rule], progress=None) -> Inference:
    """Fallback for ontologies using constructs our engine lacks: plain owlrl."""
    import owlrl
    from rdflib import Graph

    graph = Graph()
    for t in asserted:
        graph.add(t)
    rounds = 0
    while True:
        rounds += 1
        try:
            owlrl.DeductiveClosure(owlrl.OWLRL_Semantics).expand(graph)
        except ValueError as err:  # rdflib's Graph.items on a cyclic list
            raise KgError(f"reason: an rdf:List is not a list ({err})") from None
        added = 0
        for rule in rules:
            for conclusion, _premises in rule.matches(lambda p: graph.triples((None, p, None))):
                if conclusion not in graph:
                    graph.add(conclusion)
                    added += 1
        if not added:
            break
    inferred = {t for t in graph if t not in asserted and not is_noise(t)}
    return Inference(inferred, {}, rounds, engine="owlrl", closure=set(graph))
