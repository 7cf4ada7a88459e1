"""Build layer: load → validate → reason → consistency → artefact.

Two cores: the SHACL shapes are checked by a forked child from the start
(``kg.pipeline.shacl_background``) while this process parses, runs the other
checks, reasons and writes ``kg.nq`` to a temporary file (renamed into
place once SHACL has passed); ``derivations.jsonl`` is written by another
child meanwhile (``kg.pipeline.forked``; ``KG_BUILD_JOBS=1`` for one
process).

Writes ``build/kg.nq`` (every named graph plus ``graph/inferred``),
``build/derivations.jsonl`` (why each inferred triple holds, for explain) and
``build/manifest.json`` (sha256 of every input, triple counts per graph, time
per stage). Does nothing when no input changed; on failure the previous
artefact is untouched: everything is written to temporary files first and
renamed into place only after every stage passed.
"""
from __future__ import annotations

import gc
import json
import os
import time
from dataclasses import dataclass, field
from pathlib import Path

from kg.version import __version__
from kg.errors import ValidationFailed
from kg.pipeline.artefact_files import TermText, triples_hash, write_derivations, write_nquads
from kg.pipeline.forked import Forked
from kg.pipeline.graphs import Graphs
from kg.pipeline.load import INFERRED, input_files, load_graphs, parse_triples
from kg.pipeline.manifest import (ARTEFACT, DERIVATIONS, MANIFEST, file_sha256, input_hashes,  # noqa: F401
                       is_current, read_manifest)
from kg.offline import offline
from kg.paths import build_dir
from kg.pipeline.consistency import inconsistencies, problem_lines
from kg.pipeline.engine import INTERNED
from kg.pipeline.reason import reason
from kg.pipeline.rules import load_rules
from kg.pipeline.shacl_background import ShaclInBackground
from kg.pipeline.validate import start_validation, validate



@dataclass
class BuildResult:
    manifest: dict
    rebuilt: bool
    note: str = "no input changed"
    # what the build made (its graphs, the closure): the ``kg`` command ends
    # without freeing it object by object (seconds at 100x; see kg.cli.console)
    held: tuple = field(default=(), repr=False, compare=False)


def build(force: bool = False, progress=lambda msg: None, out: Path | None = None) -> BuildResult:
    """Build unless current; no stage may reach the network (owl:imports, remote contexts …).

    Python's cyclic garbage collector is off while it runs: the build makes
    millions of terms, tuples and sets that live until it ends, and each
    full collection walked all of them again (measured at 10x: validation
    1.1 s without it, up to 8 s with it; writing 3.5 s against up to 7 s).
    What the build lets go of is freed by reference counting as before; the
    few reference cycles it leaves are collected once it is done."""
    collecting = gc.isenabled()
    gc.disable()
    try:
        with offline():
            return _build(force, progress, out or build_dir())
    finally:
        if collecting:
            gc.enable()


def _load_validate_reason(files, rules, shacl, progress, stage):
    """The graphs, checked (all but SHACL, whose child may still be at
    work: see :meth:`Validation.problems`) and reasoned over;
    ValidationFailed with every problem line when a check fails."""
    progress("load: parsing ontology and data")
    graphs, by_graph = load_graphs(files, known=INTERNED)
    stage("load")
    progress("validate: SHACL shapes and excerpt offsets")
    validation = start_validation(graphs, by_graph, shacl)
    if validation.failed_early:
        raise ValidationFailed(validation.problems())
    stage("validate")
    progress("reason: OWL 2 RL closure and domain rules")
    inference = reason(graphs.asserted(), rules, progress=lambda m: progress(f"reason: {m}"))
    stage("reason")
    problems = problem_lines(inconsistencies(inference.closure, inference.index), graphs, by_graph, inference.why)
    if problems:
        raise ValidationFailed(validation.problems() or problems)  # SHACL's lines first, as they always came
    stage("consistency")
    return graphs, by_graph, inference, validation


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
    rules = load_rules()
    # rdflib's SPARQL parser (pyparsing) leaves reference cycles of exceptions
    # and frames, and a frame links to its callers' frames: left to the cyclic
    # collector, this one's locals (the whole graph, the closure) would wait
    # for it after the build. Collected now, while they are small.
    gc.collect()
    files = input_files()
    shacl = ShaclInBackground(files)  # SHACL on a second core while this one parses, checks and reasons
    try:
        graphs, by_graph, inference, validation = _load_validate_reason(files, rules, shacl, progress, stage)
        progress("write: artefact and manifest")
        counts = {str(iri): len(triples) for iri, triples in graphs.named.items() if len(triples)}
        if inference.inferred:
            counts[str(INFERRED)] = len(inference.inferred)
        manifest = {
            "version": __version__,
            "inputs": hashes,
            "graphs": counts,
            "asserted_triples": len(graphs.asserted()),
            "inferred_triples": len(inference.inferred),
            "reasoner": inference.engine,
            "reasoning_rounds": inference.rounds,
            "timings": timings,
        }
        _write_atomically(out, graphs, by_graph, inference, manifest, stage, validation)
    finally:
        shacl.wait()
    return BuildResult(manifest, True, held=(graphs, by_graph, inference, validation))


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
        inputs = list(files.values())
        shacl = ShaclInBackground(inputs)
        try:
            loaded, by_graph = load_graphs(inputs)
            problems = validate(loaded, by_graph, shacl)
        finally:
            shacl.wait()
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


def derivation_rows(inference):
    """(triple, rule, premise …) for the derivations file: from our engine,
    every triple it derived (the inferred graph's, and the few kept out of
    it as noise, some of which explain steps through), as it holds them;
    from owlrl, which keeps none, each inferred triple as "owlrl"."""
    if hasattr(inference.why, "flat"):
        return inference.why.flat()
    return ((t, rule, *premises) for t, (rule, premises) in _derivations(inference).items())


def _write_atomically(out: Path, graphs: Graphs, by_graph, inference, manifest: dict, stage, validation) -> None:
    """Every file under a temporary name, renamed into place once all are
    whole and SHACL has passed. ``derivations.jsonl`` is written by a forked
    child (``kg.pipeline.forked``) while this process writes ``kg.nq`` and
    the hashes (the two halves of the writing take about as long); SHACL's
    child may still be at work meanwhile (``validation``: its verdict is
    asked for once ``kg.nq`` is written; a violation removes what was
    written and stops the build, the artefact untouched)."""
    out.mkdir(parents=True, exist_ok=True)
    tmp = {name: out / f".{name}.tmp" for name in (ARTEFACT, DERIVATIONS, MANIFEST)}
    text = TermText()  # each term's text, made once for the hashes, the artefact and (without a fork) the derivations
    derivations = Forked(lambda: _write_derivations(tmp[DERIVATIONS], derivation_rows(inference), text))
    try:
        named = [*graphs.named.items(), (INFERRED, inference.inferred)]
        with open(tmp[ARTEFACT], "w", encoding="utf-8", errors="replace", newline="\n") as handle:
            write_nquads(handle, named, text)
        manifest["artefact"] = file_sha256(tmp[ARTEFACT])
        manifest["triples"] = {item.display: triples_hash(graphs.graph(iri), text) for iri, item in by_graph.items()}
        stage("write")
        problems = validation.problems()  # SHACL's lines too, once its child is done
        stage("shacl_wait")  # what was left of SHACL's time once kg.nq was written
        if problems:
            derivations.cancel()
            raise ValidationFailed(problems)
        derivations.result()
        stage("derivations")  # what was left of the derivations file's time then
        manifest["timings"] = dict(manifest["timings"])
        tmp[MANIFEST].write_text(json.dumps(manifest, indent=2, sort_keys=True), encoding="utf-8")
    except BaseException:
        derivations.cancel()
        for path in tmp.values():
            path.unlink(missing_ok=True)
        raise
    # the manifest goes last: a reader that sees it new sees everything new
    for name in (ARTEFACT, DERIVATIONS, MANIFEST):
        os.replace(tmp[name], out / name)


def _write_derivations(path: Path, rows, text: TermText) -> None:
    with open(path, "w", encoding="utf-8", newline="\n") as handle:
        write_derivations(handle, rows, text)
