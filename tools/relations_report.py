#!/usr/bin/env python3
"""Write docs/review/relations.md: every evidence relation, for a second reader.

    python tools/relations_report.py [OUT]

Reads data/*.ttl as asserted (no reasoning) and lists, source by source, each
pe:EvidenceRelation with its claim, direction, proposition, basis, rationale,
hedge and the verbatim excerpts (offsets into sources/) that ground the claim
and the relation; then the comparative claims from which rules/ derive
support or challenge, the settings' formal power, and the numbers stored with
a qualifier or as written. docs/review/relations-notes.md (method, changes,
second pass) is put in front, so the file is one read.
"""
import sys
from pathlib import Path

import rdflib
from rdflib import RDF, RDFS, Namespace

ROOT = Path(__file__).resolve().parent.parent
PE = Namespace("https://w3id.org/practitioner-evidence/ontology#")
ID = "https://w3id.org/practitioner-evidence/id/"
SECTIONS = [("matrix-b5", "Alcohol Treatment Matrix cell B5 (000_c403c629176c5146.txt)"),
            ("alliance-blog", "Blog: The Alliance in Offender Behaviour Programs (004_d7508ab3757505d4.txt)"),
            ("matrix-e5", "Alcohol Treatment Matrix cell E5 (003_353dc51055098928.txt)"),
            ("compendium", "NOMS Compendium (002_4b2aa2f9c05a640f.txt)")]


def load():
    graph = rdflib.Graph()
    for path in sorted((ROOT / "data").glob("*.ttl")):
        graph.parse(path)
    return graph


def short(term):
    text = str(term)
    return text[len(ID):] if text.startswith(ID) else text.rsplit("#", 1)[-1]


def excerpt_lines(graph, excerpts):
    rows = sorted(excerpts, key=lambda e: (str(graph.value(e, PE.inSource)), int(graph.value(e, PE.start))))
    return [f"  - `{short(graph.value(e, PE.inSource))}` {graph.value(e, PE.start)}–{graph.value(e, PE.end)}: "
            f"“{' '.join(str(graph.value(e, PE.exact)).split())}”" for e in rows]


def relation_block(graph, number, rel):
    claim = graph.value(predicate=PE.qualifiedRelation, object=rel)
    claim_ex, rel_ex = set(graph.objects(claim, PE.evidence)), set(graph.objects(rel, PE.evidence))
    kind = "open question" if (claim, RDF.type, PE.OpenQuestion) in graph else "claim"
    lines = [f"### R{number}. {short(graph.value(rel, PE.direction)).lower()} → "
             f"`{short(graph.value(rel, PE.proposition))}`",
             f"- {kind} `{short(claim)}`: {graph.value(claim, RDFS.label)}",
             f"- stated in: {', '.join('`' + short(w) + '`' for w in sorted(graph.objects(claim, PE.statedIn)))}",
             f"- **basis: {short(graph.value(rel, PE.basis))}**; hedge: "
             + (", ".join(f"“{h}”" for h in graph.objects(rel, PE.hedge)) or "none"),
             f"- rationale: {graph.value(rel, PE.rationale)}", "- claim's excerpts:"]
    lines += excerpt_lines(graph, claim_ex)
    if rel_ex - claim_ex:
        lines += ["- the relation's own excerpts (where the source makes or limits the link):"] \
            + excerpt_lines(graph, rel_ex - claim_ex)
    return lines


def section_of(rel):
    slug = short(rel).split("/", 1)[1]
    return {"b5": "matrix-b5", "blog": "alliance-blog", "e5": "matrix-e5"}.get(slug.split("-")[0], "compendium")


def reading_order(graph, rel):
    """Where the claim's first excerpt starts, so the list follows the source text."""
    claim = graph.value(predicate=PE.qualifiedRelation, object=rel)
    starts = [int(graph.value(e, PE.start)) for e in graph.objects(claim, PE.evidence)]
    return (min(starts, default=0), str(rel))


def relations_part(graph):
    rels = sorted(graph.subjects(RDF.type, PE.EvidenceRelation), key=lambda r: reading_order(graph, r))
    out, number = ["# Part 2. Every asserted evidence relation", ""], 0
    for key, title in SECTIONS:
        out += [f"## {title}", ""]
        for rel in (r for r in rels if section_of(r) == key):
            number += 1
            out += relation_block(graph, number, rel) + [""]
    return out


def comparative_part(graph):
    out = ["# Part 3. Comparative claims (the domain rules derive their relation to the central rule)", "",
           "A rule in `rules/` derives *supports* when the factor matters more in the setting of higher "
           "`pe:formalPower`, *challenges* when it matters more in the less tricky one or no more/less in the "
           "trickier; `kg explain` shows the derivation.", ""]
    for prop in (PE.mattersMoreIn, PE.mattersNoMoreIn, PE.mattersLessIn):
        for claim, setting in sorted(graph.subject_objects(prop), key=str):
            hedges = ", ".join(f"“{h}”" for h in graph.objects(claim, PE.hedge)) or "none"
            out += [f"### `{short(claim)}`: {short(prop)} `{short(setting)}` than `{short(graph.value(claim, PE.thanIn))}`",
                    f"- {graph.value(claim, RDFS.label)}", f"- hedge: {hedges}", "- excerpts:"]
            out += excerpt_lines(graph, set(graph.objects(claim, PE.evidence))) + [""]
    return out


def settings_part(graph):
    out = ["# Part 4. The settings' formal power (what the rules compare)", "",
           "The number is our ordinal reading (0 none, self-referred … 3 a child may be removed); the basis says "
           "whether the excerpts speak of the worker's power over the client.", ""]
    for setting in sorted(graph.subjects(PE.formalPower, None), key=lambda s: (int(graph.value(s, PE.formalPower)), str(s))):
        rationale = graph.value(setting, PE.formalPowerRationale)
        out += [f"### `{short(setting)}`: {graph.value(setting, PE.formalPower)}",
                f"- basis: **{short(graph.value(setting, PE.formalPowerBasis))}**"
                + (f"; rationale: {rationale}" if rationale else ""), "- excerpts:"]
        out += excerpt_lines(graph, set(graph.objects(setting, PE.groundedIn))) + [""]
    return out


def numbers_part(graph):
    out = ["# Part 5. Numbers that are not exact as written", "",
           "| measurement | value | qualifier | as written | excerpt |", "|---|---|---|---|---|"]
    rows = [m for m in graph.subjects(RDF.type, PE.Measurement)
            if graph.value(m, PE.qualifier) is not None or graph.value(m, PE.valueAsWritten) is not None]
    for m in sorted(rows, key=str):
        quote = " / ".join(" ".join(str(graph.value(e, PE.exact)).split()) for e in graph.objects(m, PE.groundedIn))
        out.append(f"| `{short(m)}` | {graph.value(m, PE.value)} {graph.value(m, PE.unit) or ''} | "
                   f"{graph.value(m, PE.qualifier) or ''} | {graph.value(m, PE.valueAsWritten) or ''} | “{quote}” |")
    return out + [""]


def main(argv):
    out = Path(argv[1]) if len(argv) > 1 else ROOT / "docs" / "review" / "relations.md"
    graph = load()
    notes = (ROOT / "docs" / "review" / "relations-notes.md").read_text(encoding="utf-8")
    parts = relations_part(graph) + comparative_part(graph) + settings_part(graph) + numbers_part(graph)
    text = "\n".join([notes.rstrip(), ""] + parts).rstrip("\n") + "\n"
    tmp = out.with_suffix(".tmp")
    tmp.write_text(text, encoding="utf-8")
    tmp.replace(out)
    print(f"wrote {out}")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
