"""The register of sources: the files in ``sources/``, their lines in
``sources/SHA256SUMS`` and the ``pe:Source`` nodes in ``data/sources.ttl``
must agree. Each disagreement is one line naming the file (and line) and
what to run to fix it.
"""
from __future__ import annotations

import hashlib
import os
import re
from collections import defaultdict
from dataclasses import dataclass
from pathlib import Path

from rdflib import URIRef
from rdflib.namespace import DCTERMS, RDF

from kg.pipeline.lines import in_order, short, stated, where
from kg.pipeline.sources import PE, REGISTER, SOURCE_NS, Source, sources_dir, sources_in

SUMS = "SHA256SUMS"
SUM_LINE = re.compile(r"^([0-9a-f]{64}) [ *](\S.*)$")
ADD = "kg source add sources/{name} --title TITLE --kind KIND"


@dataclass(frozen=True)
class SumLine:
    name: str
    digest: str
    line: int


def file_digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def read_sums(problems: list[str] | None = None) -> dict[str, SumLine]:
    """sources/SHA256SUMS as file name -> line; malformed lines go to ``problems``."""
    path = sources_dir() / SUMS
    found: dict[str, SumLine] = {}
    if not path.is_file():
        return found
    for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
        match = SUM_LINE.match(line.strip())
        if match:
            found[match.group(2)] = SumLine(match.group(2), match.group(1), number)
        elif line.strip() and problems is not None:
            problems.append(f"sources/{SUMS}:{number}: expected 'SHA256  FILE' as sha256sum writes it, got {line[:60]!r}")
    return found


def record_sum(name: str, digest: str) -> None:
    """Add or replace the line for ``name`` in sources/SHA256SUMS (written
    to a temporary file, then renamed)."""
    path = sources_dir() / SUMS
    lines = path.read_text(encoding="utf-8").splitlines() if path.is_file() else []
    kept = [line for line in lines if not (SUM_LINE.match(line.strip()) and SUM_LINE.match(line.strip()).group(2) == name)]
    kept.append(f"{digest}  {name}")
    kept.sort(key=lambda line: line[66:])
    tmp = path.with_name(f".{SUMS}.tmp")
    tmp.write_text("\n".join(kept) + "\n", encoding="utf-8")
    os.replace(tmp, path)


def source_files() -> list[str]:
    folder = sources_dir()
    if not folder.is_dir():
        return []
    return sorted(p.name for p in folder.iterdir() if p.is_file() and p.name != SUMS and not p.name.startswith("."))


def registry_problems(union, dataset, by_graph) -> tuple[list[str], set[URIRef]]:
    """The disagreements, one line each, and the source IRIs used but not
    registered (the shapes' complaints about them say less, and are left out)."""
    problems: list[str] = []
    sums = read_sums(problems)
    sources = sources_in(union)
    problems += _sum_problems(sums, sources)
    problems += _file_problems(sums, sources)
    problems += _node_problems(sources, dataset, by_graph)
    unregistered, lines = _unregistered_sources(sources, union, dataset, by_graph)
    return problems + lines, unregistered


def _sum_problems(sums: dict[str, SumLine], sources: list[Source]) -> list[str]:
    slugs = {s.file_name: s.slug for s in sources}
    out = []
    for entry in sums.values():
        path = sources_dir() / entry.name
        where_ = f"sources/{SUMS}:{entry.line}"
        if not path.is_file():
            out.append(f"{where_}: {entry.name} is not in sources/; put the file back or remove the line")
            continue
        digest = file_digest(path)
        if digest != entry.digest:
            fix = f"`kg excerpt --reanchor {slugs.get(entry.name, entry.name)}`"
            out.append(f"{where_}: sources/{entry.name} has changed (sha256 {digest[:12]}…, recorded {entry.digest[:12]}…); "
                       f"if it is a corrected copy run {fix} (it moves the excerpts it can and records the new hash), "
                       "otherwise restore the file")
    return out


def _file_problems(sums: dict[str, SumLine], sources: list[Source]) -> list[str]:
    named = {s.file_name for s in sources}
    out = []
    for name in source_files():
        if name not in named:
            out.append(f"sources/{name}: not registered: no pe:Source in {REGISTER} has dcterms:identifier "
                       f"\"{name}\"; run `{ADD.format(name=name)}`")
        elif name not in sums:
            out.append(f"sources/{name}: no line in sources/{SUMS}; run `cd sources && sha256sum {name} >> {SUMS}`")
    return out


def _node_problems(sources: list[Source], dataset, by_graph) -> list[str]:
    """The register's nodes that are misplaced or name a missing file or a
    file or prefix another uses. ``FILE:LINE`` is looked for only for a
    node with something to say (it indexes every file's subjects: seconds
    at 100x, for nothing when the register is in order)."""
    out = []
    seen: dict[tuple[str, str], Source] = {}
    register = next((dataset.graph(iri) for iri, item in by_graph.items() if item.display == REGISTER), None)
    for source in sources:
        said = []
        if register is None or (source.iri, RDF.type, PE.Source) not in register:
            said.append(f"src:{source.slug}: a pe:Source belongs in {REGISTER}, the register of sources "
                        "(`kg source add` writes it there)")
        if source.file_name and not (sources_dir() / source.file_name).is_file():
            said.append(f"src:{source.slug} names dcterms:identifier \"{source.file_name}\", which is not in "
                        f"sources/; copy the text there with `kg source add PATH --title TITLE --kind KIND`, "
                        "or correct the file name")
        for what, value in (("dcterms:identifier", source.file_name), ("pe:excerptPrefix", source.prefix)):
            other = seen.setdefault((what, value), source) if value else source
            if other is not source:
                said.append(f"src:{source.slug} has {what} \"{value}\", already used by src:{other.slug}; "
                            "each source needs its own")
        if said:
            at = where(source.iri, dataset, by_graph, DCTERMS.identifier)
            out += [f"{at}: {line}" for line in said]
    return out


def _unregistered_sources(sources: list[Source], union, dataset, by_graph) -> tuple[set[URIRef], list[str]]:
    """IRIs under id/source/ that data points to but no pe:Source defines,
    one line each (at its first use) rather than one per excerpt."""
    known = {s.iri for s in sources}
    objects = {obj for _s, _p, obj in stated(dataset, by_graph) if type(obj) is URIRef} - known
    unknown = {obj for obj in objects if str.startswith(obj, SOURCE_NS)}
    users: dict[URIRef, list] = defaultdict(list)
    for subject, _p, obj in stated(dataset, by_graph) if unknown else ():  # again, for their users
        if obj in unknown:
            users[obj].append(subject)
    lines = []
    slugs = ", ".join(s.slug for s in sources) or "none"
    for iri, subjects in sorted(users.items()):
        first = in_order(subjects)[0]
        more = f" (and {len(set(subjects)) - 1} more)" if len(set(subjects)) > 1 else ""
        slug = str(iri)[len(SOURCE_NS):]
        lines.append(f"{where(first, dataset, by_graph)}: {short(first)}{more}: src:{slug} is not a registered source: "
                     f"{REGISTER} has no `src:{slug} a pe:Source` (registered: {slugs}); "
                     f"run `kg source add FILE --slug {slug} --title TITLE --kind KIND`")
    return set(users), lines
