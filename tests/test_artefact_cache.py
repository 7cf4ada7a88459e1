"""The rdflib cache beside the artefact: used when it matches the build,
never when it does not, and never a reason to fail."""
from __future__ import annotations

import json
import shutil

import pytest
from rdflib import BNode

from kg.query import artefact
from kg.query.artefact import CACHE, load_artefact
from kg.pipeline.manifest import ARTEFACT, MANIFEST


def quads(dataset) -> set:
    return {(s, p, o, getattr(g, "identifier", g)) for s, p, o, g in dataset.quads()}


def ground(dataset) -> tuple[int, set]:
    """How many quads, and those without blank nodes (which a new parse labels anew)."""
    every = quads(dataset)
    return len(every), {q for q in every if not any(isinstance(t, BNode) for t in q)}


@pytest.fixture()
def build_copy(built, tmp_path):
    for name in (ARTEFACT, MANIFEST):
        shutil.copy(built / name, tmp_path / name)
    return tmp_path


@pytest.fixture()
def parses(monkeypatch):
    """Counts the times the artefact itself is parsed."""
    seen = []
    original = artefact.parse_artefact

    def counting(path):
        seen.append(path)
        return original(path)
    monkeypatch.setattr(artefact, "parse_artefact", counting)
    return seen


def test_second_load_comes_from_the_cache_with_the_same_quads(build_copy, parses):
    first = load_artefact(build_copy)
    assert (build_copy / CACHE).is_file() and len(parses) == 1
    second = load_artefact(build_copy)
    assert len(parses) == 1, "the artefact was parsed again"
    assert quads(second) == quads(first)
    assert len(quads(first)) > 10_000
    # the named graphs and prefixes come back too
    assert {str(g.identifier) for g in second.graphs()} == {str(g.identifier) for g in first.graphs()}
    assert dict(second.namespaces()) == dict(first.namespaces())


def test_a_new_artefact_makes_the_cache_stale(build_copy, parses):
    load_artefact(build_copy)
    manifest = build_copy / MANIFEST
    recorded = json.loads(manifest.read_text())
    assert len(recorded["artefact"]) == 64
    manifest.write_text(json.dumps({**recorded, "artefact": "0" * 64}))
    load_artefact(build_copy)
    assert len(parses) == 2


def test_a_manifest_that_only_rechecked_inputs_keeps_the_cache(build_copy, parses):
    load_artefact(build_copy)
    manifest = build_copy / MANIFEST
    recorded = json.loads(manifest.read_text())
    manifest.write_text(json.dumps({**recorded, "inputs": {}, "timings": {"validate": 1.0}}))
    load_artefact(build_copy)
    assert len(parses) == 1


@pytest.mark.parametrize("damage", ["truncated", "garbage", "empty"])
def test_a_damaged_cache_is_ignored(build_copy, parses, damage):
    expected = ground(load_artefact(build_copy))
    cache = build_copy / CACHE
    data = cache.read_bytes()
    stamp = data.split(b"\n", 1)[0] + b"\n"
    cache.write_bytes({"truncated": data[: len(data) // 2], "garbage": stamp + b"not a pickle",
                       "empty": b""}[damage])
    assert ground(load_artefact(build_copy)) == expected
    assert len(parses) == 2


def test_a_cache_that_cannot_be_written_is_no_error(build_copy, parses):
    (build_copy / CACHE).mkdir()  # a directory in the cache's place (as root, chmod would not stop a write)
    for _ in range(2):
        assert len(quads(load_artefact(build_copy))) > 10_000
    assert len(parses) == 2
    assert not list(build_copy.glob("*.tmp"))
