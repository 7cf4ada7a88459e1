"""The derivation of a triple (kg.pipeline.explain's tree) in words a
reviewer reads: each step a sentence with labels instead of IRIs, each rule
with its English statement (a domain rule's from the comment that opens its
file in rules/, an OWL 2 RL rule's from the specification's meaning), each
asserted fact with its file and line and its excerpts linked into their
source, highlighted."""
from __future__ import annotations

from functools import lru_cache

from markupsafe import Markup, escape
from rdflib import BNode, Literal, URIRef

from kg.paths import project_dir
from kg.terms import parse_nt, short

from ..common import PE, run

# OWL 2 RL rules (named as in the specification, section 4.3) in plain words
OWL_RL = {
    "prp-spo1": "a statement with a sub-property also holds with its super-property",
    "prp-spo2": "a chain of properties implies the property it is declared to make up",
    "prp-inv1": "a statement implies the same statement read with the inverse property",
    "prp-inv2": "a statement implies the same statement read with the inverse property",
    "prp-dom": "the domain of a property gives the class of its subject",
    "prp-rng": "the range of a property gives the class of its value",
    "prp-trp": "the property is transitive: a chain of two steps is one step",
    "prp-symp": "the property is symmetric",
    "cax-sco": "a member of a class is a member of its super-classes",
    "cax-eqc1": "a member of a class is a member of the classes equivalent to it",
    "cax-eqc2": "a member of a class is a member of the classes equivalent to it",
    "cls-hv1": "a class defined by a value gives that value to its members",
    "cls-hv2": "having the defining value makes a resource a member of the class",
    "scm-sco": "sub-classes of sub-classes are sub-classes",
    "scm-spo": "sub-properties of sub-properties are sub-properties",
    "owlrl": "the OWL 2 RL closure (which of its rules was not recorded)",
}
COMPARED = {PE + "mattersMoreIn": "more", PE + "mattersLessIn": "less", PE + "mattersNoMoreIn": "no more"}


@lru_cache(maxsize=16)
def rule_statement(rule: str) -> str:
    """A rule file's opening comment as one paragraph; an OWL 2 RL rule's meaning."""
    if rule in OWL_RL:
        return OWL_RL[rule]
    if rule.startswith("rules/") and rule.endswith(".rq") and "/" not in rule[6:]:
        try:
            lines = (project_dir() / rule).read_text(encoding="utf-8").splitlines()
        except OSError:
            return ""
        comment = []
        for line in lines:
            if not line.startswith("#"):
                break
            comment.append(line.lstrip("# ").rstrip())
        return " ".join(part for part in comment if part)
    return ""


def label(term) -> str:
    """What a person reads for a term: its label, a literal's value, else its short name."""
    if isinstance(term, Literal):
        return str(term)
    if isinstance(term, BNode):
        return "(a list of properties)"
    if isinstance(term, URIRef):
        rows = run("web-label", r=term).rows
        if rows and rows[0].get("label") is not None:
            return str(rows[0]["label"])
        if rows and rows[0].get("title") is not None:
            return str(rows[0]["title"])
    return short(term)


def worded(node: dict, root=None, seen: set | None = None) -> dict:
    """The tree with each node's sentence (``words``: (subject, predicate, object)
    labels; the tree's own subject is "this claim" below the top) and, for a
    step made by a rule, the rule's statement and, where the rule compares
    settings, the reason in one sentence. An excerpt quoted higher up is not
    quoted again (``excerpts`` emptied, ``quoted_above`` set)."""
    s, p, o = parse_nt(node["nt"])
    seen = set() if seen is None else seen
    subject = label(s) if root is None or s != root else f"this {_kind(s)}"
    out = dict(node, terms=(s, p, o), words=(subject, label(p), label(o)))
    if node.get("asserted"):
        fresh = [ex for ex in node.get("excerpts", []) if ex["iri"] not in seen]
        out["quoted_above"] = len(fresh) < len(node.get("excerpts", []))
        out["excerpts"] = fresh
        seen.update(ex["iri"] for ex in fresh)
        return out
    out["statement"] = rule_statement(node.get("rule", ""))
    out["premises"] = [worded(child, s if root is None else root, seen) for child in node.get("premises", [])]
    out["because"] = comparison_reason(out) or component_reason(out)
    return out


def _kind(term) -> str:
    parts = str(term).rstrip("/").split("/")
    return parts[-2] if len(parts) > 2 and "/id/" in str(term) else "resource"


def comparison_reason(node: dict) -> str | None:
    """'it says F matters more in X (formal power 2) than in Y (formal power 0)' from a comparison rule's premises."""
    found = {}
    for child in node.get("premises", []):
        _s, p, o = child["terms"]
        found.setdefault(str(p), o)
    compared = next((p for p in COMPARED if p in found), None)
    if compared is None or PE + "thanIn" not in found or PE + "factor" not in found:
        return None
    more, than = found[compared], found[PE + "thanIn"]
    return Markup(f"it says <em>{escape(_lower(label(found[PE + 'factor'])))}</em> matters {COMPARED[compared]} in "
                  f"<em>{escape(_lower(label(more)))}</em>{_power(more)} than in <em>{escape(_lower(label(than)))}</em>"
                  f"{_power(than)}")


def _lower(text: str) -> str:
    """A label inside a sentence: its first letter lower-case unless it starts an acronym."""
    return text[:1].lower() + text[1:] if text[1:2].islower() else text


def component_reason(node: dict) -> Markup | None:
    """'it supports its component “X”' for a relation that reaches a rule through one of its components."""
    s, p, o = node["terms"]
    for child in node.get("premises", []):
        cs, cp, co = child["terms"]
        if cs == s and cp == p and co != o:
            return Markup(f"it {escape(label(p))} its component <em>{escape(label(co))}</em>")
    return None


def _power(setting) -> str:
    rows = run("web-setting-power", setting=setting).rows
    return f" (formal power {rows[0]['power']})" if rows and rows[0].get("power") is not None else ""
