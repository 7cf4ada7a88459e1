"""Build layer: load → validate → reason → consistency → artefact.

Writes ``build/kg.nq`` (every named graph plus ``graph/inferred``),
``build/derivations.jsonl`` (why each inferred triple holds, for explain) and
``build/manifest.json`` (sha256 of every input, triple counts per graph, time
per stage). Does nothing when no input changed; on failure the previous
artefact is untouched: everything is written to temporary files first and
renamed into place only after every stage passed.
"""
from __future__ import annotations

import json
import os
import time
from dataclasses import dataclass
from pathlib import Path

from kg.version import __version__
from kg.errors import ValidationFailed
from kg.pipeline.artefact_files import TermText, triples_hash, write_derivations, write_nquads
from kg.pipeline.graphs import Graphs
from kg.pipeline.load import INFERRED, input_files, load_graphs, parse_triples
from kg.pipeline.manifest import (ARTEFACT, DERIVATIONS, MANIFEST, file_sha256, input_hashes,  # noqa: F401
                       is_current, read_manifest)
from kg.offline import offline
from kg.paths import build_dir
from kg.pipeline.consistency import inconsistencies, problem_lines
from kg.pipeline.reason import reason
from kg.pipeline.rules import load_rules
from kg.pipeline.validate import validate



@dataclass
class BuildResult:
    manifest: dict
    rebuilt: bool
    note: str = "no input changed"


def build(force: bool = False, progress=lambda msg: None, out: Path | None = None) -> BuildResult:
    """Build unless current; no stage may reach the network (owl:imports, remote contexts …)."""
    with offline():
        return _build(force, progress, out or build_dir())


def _build(force: bool, progress, out: Path) -> BuildResult:
    if not force and is_current(out):
        progress("nothing changed; artefact is current")
        return BuildResult(read_manifest(out), False)
    if not force:
        same = _without_reasoning(out, progress)
        if same is not None:
            return same
    timings = {}
    clock = time.perf_counter()

    def stage(name):
        nonlocal clock
        now = time.perf_counter()
        timings[name] = round(now - clock, 3)
        clock = now

    hashes = input_hashes()
    progress("load: parsing ontology and data")
    graphs, by_graph = load_graphs()
    text = TermText()  # each term's text, made once for the hashes, the artefact and the derivations
    content = {item.display: triples_hash(graphs.graph(iri), text) for iri, item in by_graph.items()}
    rules = load_rules()
    stage("load")
    progress("validate: SHACL shapes and excerpt offsets")
    problems = validate(graphs, by_graph)
    if problems:
        raise ValidationFailed(problems)
    stage("validate")
    progress("reason: OWL 2 RL closure and domain rules")
    asserted = graphs.asserted()
    inference = reason(asserted, rules, progress=lambda m: progress(f"reason: {m}"))
    problems = problem_lines(inconsistencies(inference.closure, inference.index), graphs, by_graph, inference.why)
    if problems:
        raise ValidationFailed(problems)
    stage("reason")
    progress("write: artefact and manifest")
    counts = {str(iri): len(triples) for iri, triples in graphs.named.items() if len(triples)}
    if inference.inferred:
        counts[str(INFERRED)] = len(inference.inferred)
    manifest = {
        "version": __version__,
        "inputs": hashes,
        "triples": content,
        "graphs": counts,
        "asserted_triples": len(asserted),
        "inferred_triples": len(inference.inferred),
        "reasoner": inference.engine,
        "reasoning_rounds": inference.rounds,
        "timings": timings,
    }
    _write_atomically(out, graphs, inference, manifest, stage, text)
    return BuildResult(manifest, True)


VALIDATION_ONLY = ("shapes/", "sources/")  # inputs only validation reads: the graph does not depend on them


def _without_reasoning(out: Path, progress) -> BuildResult | None:
    """When the changed inputs are only shapes, source texts, or ontology
    and data files that still state the same triples as in the last build (a
    comment, the layout, the order), the graph is what it was and so is its
    closure: the artefact stands. Changed shapes or source texts are checked
    against the graph again (they are what validation reads); then the
    manifest records the new hashes. None when a rule or a triple changed
    (a full build then); ValidationFailed, with the artefact untouched, when
    the graph no longer passes."""
    manifest = read_manifest(out)
    if not manifest or manifest.get("version") != __version__ or not (out / ARTEFACT).exists() \
            or "triples" not in manifest:
        return None
    hashes = input_hashes()
    old = manifest.get("inputs", {})
    changed = sorted(name for name in hashes.keys() | old.keys() if hashes.get(name) != old.get(name))
    recheck = [name for name in changed if name.startswith(VALIDATION_ONLY)]
    graphs = [name for name in changed if name not in recheck]
    if not changed or any(name not in manifest["triples"] or name not in hashes for name in graphs):
        return None
    files = {item.display: item for item in input_files()}
    for name in graphs:
        progress(f"load: {name} changed; comparing its triples with the last build's")
        if triples_hash(parse_triples(files[name])[0]) != manifest["triples"][name]:
            return None
    if recheck:
        progress(f"validate: {', '.join(recheck)} changed; checking the graph against them")
        started = time.perf_counter()
        loaded, by_graph = load_graphs()
        problems = validate(loaded, by_graph)
        if problems:
            raise ValidationFailed(problems)
        manifest["timings"] = {**manifest.get("timings", {}), "revalidate": round(time.perf_counter() - started, 3)}
    manifest["inputs"] = hashes
    path = out / MANIFEST
    tmp = out / f".{MANIFEST}.tmp"
    tmp.write_text(json.dumps(manifest, indent=2, sort_keys=True), encoding="utf-8")
    os.replace(tmp, path)
    listed = ", ".join(changed)
    if not recheck:
        return BuildResult(manifest, False, f"{listed} changed but states the same triples")
    same = "; the data states the same triples" if graphs else ""
    return BuildResult(manifest, False, f"{listed} changed{same}; the graph passes the checks, the artefact stands")


def _derivations(inference) -> dict:
    """Each inferred triple's derivation, and those of the derived premises
    it rests on that are not shown (noise: a literal's typing through an
    inverse, scm-cls's triples …), so that explain reaches asserted triples
    on every branch. In no particular order (explain reads them into a
    dict; sorting them took seconds and a string per row at 100x)."""
    rows, todo, why = {}, list(inference.inferred), inference.why
    while todo:
        t = todo.pop()
        if t in rows:
            continue
        rows[t] = why.get(t, ("owlrl", ()))
        todo.extend(p for p in rows[t][1] if p in why and p not in rows)
    return rows


def _write_atomically(out: Path, graphs: Graphs, inference, manifest: dict, stage, text: TermText) -> None:
    out.mkdir(parents=True, exist_ok=True)
    tmp = {name: out / f".{name}.tmp" for name in (ARTEFACT, DERIVATIONS, MANIFEST)}
    named = [*graphs.named.items(), (INFERRED, inference.inferred)]
    with open(tmp[ARTEFACT], "w", encoding="utf-8", errors="replace", newline="\n") as handle:
        write_nquads(handle, named, text)
    with open(tmp[DERIVATIONS], "w", encoding="utf-8", newline="\n") as handle:
        write_derivations(handle, _derivations(inference).items(), text)
    manifest["artefact"] = file_sha256(tmp[ARTEFACT])
    stage("write")
    manifest["timings"] = dict(manifest["timings"])
    tmp[MANIFEST].write_text(json.dumps(manifest, indent=2, sort_keys=True), encoding="utf-8")
    # the manifest goes last: a reader that sees it new sees everything new
    for name in (ARTEFACT, DERIVATIONS, MANIFEST):
        os.replace(tmp[name], out / name)
