"""Practitioner Evidence Graph: build, reason over, query and explain the evidence.

The public API (each imports its layer only when called, so ``import kg`` is cheap):

- :func:`build` — build the artefact unless it is current (``kg build``);
- :func:`reason` — the OWL 2 RL + domain-rule closure of a set of triples;
- :mod:`kg.query` — ``query.run(name_or_text, store=…, params=…)``, any query
  on any store (``kg query``);
- :func:`explain` — the derivation tree of a triple (``kg explain``).

The code is grouped by the layers of the data flow (DESIGN.md): ``kg.pipeline``
(load → validate → reason → artefact), ``kg.query`` (stores, named queries,
formats, publish), ``kg.serving`` (workers and guards of the public endpoint);
a layer imports only from layers before it.
"""
from kg.version import __version__

__all__ = ["__version__", "build", "reason", "explain"]


def build(force: bool = False, progress=lambda message: None, out=None):
    """Build ``build/`` (or ``out``) from the project's inputs unless current."""
    from kg.pipeline.build import build as _build
    return _build(force=force, progress=progress, out=out)


def reason(asserted: set, rules=None, progress=None):
    """The closure of ``asserted`` (a set of rdflib triples) under OWL 2 RL and the
    domain rules (the project's ``rules/`` unless ``rules`` is given)."""
    from kg.pipeline.reason import reason as _reason
    from kg.pipeline.rules import load_rules
    return _reason(asserted, load_rules() if rules is None else rules, progress)


def explain(subject: str, predicate: str, obj: str, out=None) -> dict:
    """Why ``subject predicate obj`` holds in the build, as a tree down to asserted
    triples (terms as CURIEs, ``<IRI>``s or N-Triples literals)."""
    from kg.pipeline.explain import Explainer, load_derivations
    from kg.query.artefact import load_artefact
    from kg.terms import parse_term
    triple = (parse_term(subject, "S"), parse_term(predicate, "P"), parse_term(obj, "O"))
    return Explainer(load_artefact(out), load_derivations(out)).explain(triple)
