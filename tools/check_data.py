#!/usr/bin/env python3
"""Quick data check for editors: tools/check_data.py [data/file.ttl ...]

Parses the ontology and the data, then reports: excerpts whose offsets do not
match the source text, claims without pe:statedIn or pe:evidence,
measurements without value, group or excerpt, and pe:/id/ IRIs used but never
defined (typos). Exit 0 when clean. The test suite checks the same and more.
"""
import sys
from pathlib import Path

import rdflib
from rdflib import RDF, URIRef

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "src"))
from kg.pipeline.sources import source_file_for_iri, source_text  # noqa: E402

PE = rdflib.Namespace("https://w3id.org/practitioner-evidence/ontology#")
ID = "https://w3id.org/practitioner-evidence/id/"


def main(argv):
    g = rdflib.Graph()
    for f in sorted((ROOT / "ontology").glob("*.ttl")):
        g.parse(f)
    files = [Path(a) for a in argv[1:]] or sorted((ROOT / "data").glob("*.ttl"))
    if argv[1:]:
        files = sorted(set(files) | set((ROOT / "data").glob("*.ttl")))
    for f in files:
        try:
            g.parse(f, format="turtle")
        except Exception as err:  # report and stop: nothing else is meaningful
            print(f"{f}: parse error: {err}")
            return 1
    problems = []
    for ex in set(g.subjects(RDF.type, PE.Excerpt)):
        exact, start, end, src = (g.value(ex, p) for p in (PE.exact, PE.start, PE.end, PE.inSource))
        if None in (exact, start, end, src):
            problems.append(f"{ex}: excerpt lacks exact/start/end/inSource")
            continue
        fname = source_file_for_iri(str(src))
        if fname is None:
            problems.append(f"{ex}: unknown source {src}")
            continue
        if source_text(fname)[int(start):int(end)] != str(exact):
            problems.append(f"{ex}: text at {start}:{end} differs from pe:exact")
    for c in set(g.subjects(RDF.type, PE.Claim)) | set(g.subjects(RDF.type, PE.OpenQuestion)):
        if g.value(c, PE.statedIn) is None:
            problems.append(f"{c}: claim without pe:statedIn")
        if g.value(c, PE.evidence) is None:
            problems.append(f"{c}: claim without pe:evidence")
    for m in set(g.subjects(RDF.type, PE.Measurement)):
        for p in (PE.value, PE.group, PE.groundedIn):
            if g.value(m, p) is None:
                problems.append(f"{m}: measurement without {p.n3(g.namespace_manager)}")
    typed = set(g.subjects(RDF.type, None))
    for s, p, o in g:
        for term in (p, o) if isinstance(o, URIRef) else (p,):
            t = str(term)
            if (t.startswith(ID) or t.startswith(str(PE))) and term not in typed:
                problems.append(f"{s} {p}: uses undefined {term}")
    for line in sorted(set(problems)):
        print(line)
    print(f"{len(g)} triples, {len(set(problems))} problems")
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
