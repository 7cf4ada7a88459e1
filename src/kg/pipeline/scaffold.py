"""``kg source add``: register a new source in one step.

Copies the text byte for byte into ``sources/`` (named
``NNN_{first 16 hex digits of its sha256}.txt`` like the others, unless it is
already there), records its hash in ``sources/SHA256SUMS``, writes its
``pe:Source`` node into ``data/sources.ttl`` and a starter
``data/{slug}.ttl`` with the prefixes and a commented example. Everything is
checked before anything is written.
"""
from __future__ import annotations

import os
import re
from dataclasses import dataclass
from pathlib import Path

from kg.errors import KgError
from kg.paths import project_dir
from kg.pipeline.excerpts import literal
from kg.pipeline.registry import file_digest, read_sums, record_sum, source_files
from kg.pipeline.sources import REGISTER, registered, sources_dir

SLUG = re.compile(r"^[a-z0-9][a-z0-9-]*$")
PREFIX = re.compile(r"^[a-z][a-z0-9]*$")


@dataclass(frozen=True)
class Added:
    file_name: str
    slug: str
    prefix: str
    data_file: str


def add_source(path: Path, title: str, kind: str, slug: str | None = None, prefix: str | None = None) -> Added:
    raw = _read(path)
    digest = file_digest(path)
    _not_yet_registered(path, digest)
    slug = slug or slugify(title)
    prefix = prefix or short_prefix(slug)
    _check_names(slug, prefix)
    if not (project_dir() / REGISTER).is_file():
        raise KgError(f"{REGISTER}: no such file; it holds the register of sources")
    inside = path.resolve().parent == sources_dir().resolve()
    name = path.name if inside else f"{next_number():03d}_{digest[:16]}.txt"
    if not inside:
        _write_bytes(sources_dir() / name, raw)
    record_sum(name, digest)
    _register(slug, name, prefix, title, kind)
    data_file = f"data/{slug}.ttl"
    _write_text(project_dir() / data_file, starter(slug, prefix, name, title))
    return Added(name, slug, prefix, data_file)


def _read(path: Path) -> bytes:
    if not path.is_file():
        raise KgError(f"{path}: no such file")
    raw = path.read_bytes()
    try:
        raw.decode("utf-8")
    except UnicodeDecodeError as err:
        line = raw[: err.start].count(b"\n") + 1
        raise KgError(f"{path}:{line}: not UTF-8 text; save the source as UTF-8 first") from None
    return raw


def _not_yet_registered(path: Path, digest: str) -> None:
    inside = path.resolve().parent == sources_dir().resolve()
    for entry in read_sums().values():
        if entry.digest == digest and not (inside and entry.name == path.name):  # hashed by hand: fine
            raise KgError(f"{path}: already in sources/ as {entry.name} (sources/SHA256SUMS line {entry.line})")
    for source in registered():
        if source.file_name == path.name and path.resolve().parent == sources_dir().resolve():
            raise KgError(f"{path}: already registered as src:{source.slug}")


def slugify(title: str) -> str:
    words = re.findall(r"[a-z0-9]+", title.lower())
    slug = ""
    for word in words:
        if len(slug) + len(word) + 1 > 40:
            break
        slug = f"{slug}-{word}" if slug else word
    if not slug:
        raise KgError("--title: give a title with letters or digits (or --slug)")
    return slug


def short_prefix(slug: str) -> str:
    words = slug.split("-")
    base = "".join(w[0] for w in words) if len(words) > 1 else slug[:8]
    base = base if base[0].isalpha() else "s" + base
    taken = {s.prefix for s in registered()}
    candidate, n = base, 2
    while candidate in taken:
        candidate, n = f"{base}{n}", n + 1
    return candidate


def _check_names(slug: str, prefix: str) -> None:
    if not SLUG.match(slug):
        raise KgError(f"--slug {slug!r}: lower-case letters, digits and hyphens, starting with a letter or digit")
    if not PREFIX.match(prefix):
        raise KgError(f"--prefix {prefix!r}: lower-case letters and digits, starting with a letter")
    for source in registered():
        if source.slug == slug:
            raise KgError(f"--slug {slug}: already the slug of {source.file_name}; choose another with --slug")
        if source.prefix == prefix:
            raise KgError(f"--prefix {prefix}: already the excerpt prefix of src:{source.slug}; choose another")
    if (project_dir() / "data" / f"{slug}.ttl").exists():
        raise KgError(f"data/{slug}.ttl already exists; choose another --slug")


def next_number() -> int:
    numbers = [int(n[:3]) for n in source_files() if re.match(r"^\d{3}_", n)]
    return max(numbers, default=-1) + 1


def _write_bytes(path: Path, raw: bytes) -> None:
    tmp = path.with_name(f".{path.name}.tmp")
    tmp.write_bytes(raw)
    os.replace(tmp, path)


def _write_text(path: Path, text: str) -> None:
    _write_bytes(path, text.encode("utf-8"))


def source_node(slug: str, name: str, prefix: str, title: str, kind: str) -> str:
    return (f"src:{slug} a pe:Source ;\n"
            f"    rdfs:label {literal(title)}@en ;\n"
            f"    dcterms:title {literal(title)}@en ;\n"
            f"    dcterms:identifier {literal(name)} ;\n"
            f"    pe:excerptPrefix {literal(prefix)} ;\n"
            f"    pe:sourceKind {literal(kind)}@en ;\n"
            f"    dcterms:format \"text/plain\" .\n")


def _register(slug: str, name: str, prefix: str, title: str, kind: str) -> None:
    """Add the pe:Source node after the last one in data/sources.ttl (or at its end)."""
    path = project_dir() / REGISTER
    text = path.read_text(encoding="utf-8")
    node = source_node(slug, name, prefix, title, kind)
    last = max((m.end() for m in re.finditer(r"(?ms)^src:[^\n]* a pe:Source\b.*?\.\n", text)), default=None)
    text = text[:last] + "\n" + node + text[last:] if last is not None else text.rstrip("\n") + "\n\n" + node
    _write_text(path, text)


def starter(slug: str, prefix: str, name: str, title: str) -> str:
    return STARTER.format(slug=slug, prefix=prefix, name=name, title=title.replace("\n", " "))


STARTER = """\
# {title}
# (source sources/{name}, src:{slug}; its excerpts are ex:{prefix}-START-END)
#
# Written by `kg source add`. Quote the source with
#   kg excerpt {slug} 'a quote' 'another quote' --into data/{slug}.ttl
# then describe the works and claims below, citing those excerpts, and run
# `kg validate`. CONTRIBUTING.md ("Add a source") walks through an example.
@prefix pe:      <https://w3id.org/practitioner-evidence/ontology#> .
@prefix rdfs:    <http://www.w3.org/2000/01/rdf-schema#> .
@prefix xsd:     <http://www.w3.org/2001/XMLSchema#> .
@prefix skos:    <http://www.w3.org/2004/02/skos/core#> .
@prefix dcterms: <http://purl.org/dc/terms/> .
@prefix src:     <https://w3id.org/practitioner-evidence/id/source/> .
@prefix work:    <https://w3id.org/practitioner-evidence/id/work/> .
@prefix claim:   <https://w3id.org/practitioner-evidence/id/claim/> .
@prefix prop:    <https://w3id.org/practitioner-evidence/id/proposition/> .
@prefix ex:      <https://w3id.org/practitioner-evidence/id/excerpt/> .
@prefix meas:    <https://w3id.org/practitioner-evidence/id/measurement/> .
@prefix setting: <https://w3id.org/practitioner-evidence/id/setting/> .
@prefix factor:  <https://w3id.org/practitioner-evidence/id/factor/> .
@prefix outcome: <https://w3id.org/practitioner-evidence/id/outcome/> .
@prefix design:  <https://w3id.org/practitioner-evidence/id/design/> .
@prefix concept: <https://w3id.org/practitioner-evidence/id/concept/> .
@prefix scheme:  <https://w3id.org/practitioner-evidence/id/scheme/> .
@prefix rel:     <https://w3id.org/practitioner-evidence/id/relation/> .

# ---------------------------------------------------------------- works
# A work the source lists: its title and year exactly as the source gives
# them, grounded in the excerpt that lists it (the title line).
#
# work:{slug}-a-study-2020 a pe:Study ;
#     rdfs:label "The title as the source gives it"@en ;
#     dcterms:title "The title as the source gives it" ;
#     pe:year "2020"^^xsd:gYear ;
#     pe:listedIn src:{slug} ;
#     pe:groundedIn ex:{prefix}-0-40 .

# ---------------------------------------------------------------- claims
# A claim the work makes, in words close to the source's, with the excerpt
# that says it and the proposition it bears on (only where the text warrants it).
#
# claim:{slug}-a-finding a pe:Claim ;
#     rdfs:label "A short statement close to the source's words"@en ;
#     pe:statedIn work:{slug}-a-study-2020 ;
#     pe:evidence ex:{prefix}-42-120 ;
#     pe:supports prop:trickier-situation-worker-matters ;
#     pe:setting setting:probation-supervision .
#
# Every pe:supports / pe:challenges / pe:qualifies is described by an
# evidence relation: which way, whether the source states the link itself
# (pe:StatedBySource) or it is our reading (pe:JudgedByModeller), why in one
# sentence, the source's hedge words if it hedges, and the excerpt(s) behind it.
#
# claim:{slug}-a-finding pe:qualifiedRelation rel:{slug}-a-finding--trickier-situation-worker-matters .
# rel:{slug}-a-finding--trickier-situation-worker-matters a pe:EvidenceRelation ;
#     pe:proposition prop:trickier-situation-worker-matters ;
#     pe:direction pe:Supports ;
#     pe:basis pe:JudgedByModeller ;
#     pe:rationale "One plain-English sentence: why this claim supports the rule."@en ;
#     pe:evidence ex:{prefix}-42-120 .

# ---------------------------------------------------------------- excerpts
# `kg excerpt {slug} 'quote' --into data/{slug}.ttl` appends them here, e.g.
#
# ex:{prefix}-0-40 a pe:Excerpt ;
#     pe:inSource src:{slug} ;
#     pe:start 0 ; pe:end 40 ;
#     pe:suffix ". The first words after the quote" ;
#     pe:exact "The title as the source gives it (2020)" .
"""
