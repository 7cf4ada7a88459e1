"""Checks for the mistakes a newcomer makes that the shapes cannot see,
each one line ``FILE:LINE: what is wrong; what was expected``:

- a name used but never defined (a mistyped excerpt, work or term), with the
  nearest defined name;
- an excerpt whose name disagrees with its source's prefix or its offsets;
- a work whose title, year or S/K/R/G letters are not in the text that
  lists it;
- a claim stated in a work that another source lists.

The names they explain are returned too, so that the shapes' vaguer
complaints about the same values can be left out.
"""
from __future__ import annotations

import difflib
import re

from rdflib import URIRef
from rdflib.namespace import DCTERMS, PROV, RDF

from kg.pipeline.excerpts import EXCERPT_NAME
from kg.pipeline.lines import in_order, node_key, short, stated, where
from kg.pipeline.sources import ID, PE, Source, source_text

LETTERS = re.compile(r"(?:^|\n)([SKRG](?:[ ,]+[SKRG])*)[ \t]*\n?[ \t]*$")


def newcomer_problems(union, dataset, by_graph, sources: list[Source]) -> tuple[list[str], set[URIRef]]:
    at = _Where(dataset, by_graph)
    undefined, lines = undefined_names(union, at, lambda: stated(dataset, by_graph))
    lines += excerpt_names(union, at, sources)
    lines += work_facts(union, at, sources, undefined)
    lines += claims_from_other_sources(union, at)
    return lines, undefined


class _Where:
    def __init__(self, dataset, by_graph):
        self.dataset, self.by_graph = dataset, by_graph

    def __call__(self, node) -> str:
        return where(node, self.dataset, self.by_graph)


# ---------------------------------------------------------------- undefined names

def undefined_names(union, at, triples=None) -> tuple[set[URIRef], list[str]]:
    """Names of ours (pe: terms, id/ resources) used as a property or an
    object but defined nowhere (no rdf:type). id/source/ is left to the
    register's check. ``triples``: a function giving the union's triples
    afresh, if there is a quicker way to go through them than the union
    itself. The terms used are gathered by set comprehensions; the triples
    are gone through again, for their users, only when one is undefined."""
    every = (lambda: iter(union)) if triples is None else triples
    defined = set(union.subjects(RDF.type, None))
    used = {p for _s, p, _o in every()} | {o for _s, _p, o in every() if type(o) is URIRef}  # a Literal's hash is Python's
    missing = {term: None for term in used - defined if _ours(term)}
    if not missing:
        return set(), []
    for subject, predicate, obj in every():
        for term in (predicate, obj):
            if term in missing and (missing[term] is None or node_key(subject) < node_key(missing[term])):
                missing[term] = subject  # the first user in IRI order, whatever order the graph gives
    by_kind: dict[str, list[str]] = {}
    for node in defined:
        by_kind.setdefault(_kind(node), []).append(str(node))
    lines = []
    for term, subject in sorted(missing.items()):
        near = difflib.get_close_matches(str(term), by_kind.get(_kind(term), []), n=1, cutoff=0.6)
        hint = f"; did you mean {short(URIRef(near[0]))}?" if near else ""
        what = "a term of the ontology (ontology/*.ttl)" if str(term).startswith(str(PE)) else "defined in any data file"
        lines.append(f"{at(subject)}: {short(subject)} uses {short(term)}, which is not {what}{hint}")
    return set(missing), lines


def _ours(term) -> bool:
    text = str(term)
    return isinstance(term, URIRef) and (text.startswith(str(PE)) and len(text) > len(str(PE))
                                         or text.startswith(ID) and not text.startswith(ID + "source/"))


def _kind(term) -> str:
    text = str(term)
    return "pe" if text.startswith(str(PE)) else text[len(ID):].split("/", 1)[0]


# ---------------------------------------------------------------- excerpt names

def excerpt_names(union, at, sources: list[Source]) -> list[str]:
    """One line per excerpt named for other offsets; one line per source for
    excerpts named with another prefix (a prefix changed in the register
    would otherwise give a line per excerpt)."""
    prefixes = {s.iri: s.prefix for s in sources}
    by_iri = {s.iri: s for s in sources}
    lines, other_prefix = [], {}
    for excerpt in in_order(set(union.subjects(RDF.type, PE.Excerpt))):
        source, start, end = (union.value(excerpt, p) for p in (PE.inSource, PE.start, PE.end))
        if not prefixes.get(source) or start is None or end is None or not str(excerpt).startswith(ID + "excerpt/") \
                or not _at_its_offsets(union, excerpt, by_iri):
            continue  # the shapes, the register and the excerpt check report these
        name = str(excerpt)[len(ID + "excerpt/"):]
        match = EXCERPT_NAME.match(name)
        if match and match["prefix"] != prefixes[source]:
            other_prefix.setdefault((source, match["prefix"]), []).append(excerpt)
            continue
        problem = _name_problem(name, prefixes[source], int(start), int(end))
        if problem:
            lines.append(f"{at(excerpt)}: {short(excerpt)} {problem}")
    for (source, used), excerpts in other_prefix.items():
        more = f" (and {len(excerpts) - 1} more excerpts)" if len(excerpts) > 1 else ""
        lines.append(f"{at(excerpts[0])}: {short(excerpts[0])}{more} is named with prefix \"{used}\" but its pe:inSource "
                     f"{short(source)} has pe:excerptPrefix \"{prefixes[source]}\"; the names are "
                     f"ex:{prefixes[source]}-START-END")
    return lines


def _at_its_offsets(union, excerpt, by_iri: dict[URIRef, Source]) -> bool:
    source = by_iri.get(union.value(excerpt, PE.inSource))
    if source is None or not source.file_name:
        return False
    try:
        text = source_text(source.file_name)
        return text[int(union.value(excerpt, PE.start)):int(union.value(excerpt, PE.end))] \
            == str(union.value(excerpt, PE.exact))
    except (OSError, TypeError, ValueError):
        return False


def _name_problem(name: str, prefix: str, start: int, end: int) -> str | None:
    match = EXCERPT_NAME.match(name)
    tail = (match["tail"] or "") if match else ""
    expected = f"{prefix}-{start}-{end}{tail}"
    if name == expected:
        return None
    if match is None:
        return f"is not named ex:{{prefix}}-{{start}}-{{end}}; by its source and offsets it is ex:{expected}"
    return (f"is named for characters {match['start']}..{match['end']} but its pe:start/pe:end are {start}..{end}; "
            f"name it ex:{expected}, or correct the offsets (`kg excerpt` prints them)")


# ---------------------------------------------------------------- works

def work_facts(union, at, sources: list[Source], undefined=frozenset()) -> list[str]:
    files = {s.iri: s.file_name for s in sources}
    by_iri = {s.iri: s for s in sources}
    lines = []
    for work in in_order(set(union.subjects(PE.listedIn, None))):
        listing = _listing_excerpts(union, work, set(union.objects(work, PE.listedIn)))
        if not listing or undefined & set(union.objects(work, PE.groundedIn)) \
                or not all(_at_its_offsets(union, e, by_iri) for e in listing):
            continue  # reported already, as what it is
        quoted = " ".join(_squash(str(union.value(e, PE.exact))) for e in listing)
        title, year = union.value(work, DCTERMS.title), union.value(work, PE.year)
        if title is not None and _squash(str(title)) not in quoted:
            lines.append(f"{at(work)}: {short(work)} has dcterms:title \"{str(title)[:60]}\", which is not in the "
                         f"excerpt that lists it ({short(listing[0])}); the title is written as the source gives it")
        if year is not None and str(year) not in quoted:
            lines.append(f"{at(work)}: {short(work)} has pe:year {year}, which is not in the excerpt that lists it "
                         f"({short(listing[0])}); give a year only where the source states it")
        problem = _letters_problem(union, work, listing[0], files)
        if problem:
            lines.append(f"{at(work)}: {short(work)} {problem}")
    return lines


def _listing_excerpts(union, work, listed_in: set) -> list:
    """The work's grounding excerpts in the sources that list it, in text order."""
    found = [e for e in union.objects(work, PE.groundedIn) if union.value(e, PE.inSource) in listed_in
             and union.value(e, PE.start) is not None and union.value(e, PE.exact) is not None]
    return sorted(found, key=lambda e: (str(union.value(e, PE.inSource)), int(union.value(e, PE.start))))


def _letters_problem(union, work, first, files) -> str | None:
    """The letters written just before the listing (on its line or the line
    above, as the Matrix cells print them) must be the work's letters."""
    given = {str(c) for c in union.objects(work, PE.matrixCategory)}
    name = files.get(union.value(first, PE.inSource))
    if not given or not name:
        return None
    try:
        start = int(union.value(first, PE.start))
        before = source_text(name)[max(0, start - 24):start]
    except (OSError, ValueError):
        return None  # the register reports a missing file
    match = LETTERS.search("\n" + before)
    printed = set(re.findall(r"[SKRG]", match.group(1))) if match else set()
    if printed == given:
        return None
    shown = " ".join(sorted(given))
    if not printed:
        return (f"has pe:matrixCategory {shown}, but no S/K/R/G letter is printed just before the excerpt that lists "
                f"it ({short(first)})")
    return (f"has pe:matrixCategory {shown}, but the source prints {' '.join(sorted(printed))} before the excerpt "
            f"that lists it ({short(first)})")


def _squash(text: str) -> str:
    return " ".join(text.split())


# ---------------------------------------------------------------- claims

def claims_from_other_sources(union, at) -> list[str]:
    lines = []
    for claim in in_order(set(union.subjects(PE.statedIn, None))):
        quoted = {_same(union, union.value(e, PE.inSource)) for e in union.objects(claim, PE.evidence)} - {None}
        for stated in union.objects(claim, PE.statedIn):
            listed = set(union.objects(stated, PE.listedIn)) or {stated}
            if quoted and not quoted & {_same(union, s) for s in listed}:
                lines.append(f"{at(claim)}: {short(claim)} is pe:statedIn {short(stated)}, which "
                             f"{'is listed in ' if stated not in listed else 'is '}"
                             f"{', '.join(sorted(short(s) for s in listed))}, but its pe:evidence quotes "
                             f"{', '.join(sorted(short(s) for s in quoted))}; state it in a work of the source it "
                             "quotes, or in that source itself")
    return lines


def _same(union, source):
    """A source and its prov:alternateOf copies count as one (the smallest IRI stands for them)."""
    if source is None:
        return None
    return min({source, *union.objects(source, PROV.alternateOf), *union.subjects(PROV.alternateOf, source)})
