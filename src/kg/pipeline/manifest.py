"""The build's manifest and whether the artefact is current.

Kept free of rdflib and the rest of the pipeline, so that ``kg build`` with
nothing changed, and ``kg serve`` on an existing artefact, answer without
importing them (that import alone took longer than the check)."""
from __future__ import annotations

import hashlib
import json
from pathlib import Path

from kg.version import __version__
from kg.paths import build_dir, project_dir

ARTEFACT, MANIFEST, DERIVATIONS = "kg.nq", "manifest.json", "derivations.jsonl"
LAYERS = ("ontology", "data")


def input_paths(root: Path | None = None) -> list[Path]:
    """Every file the build reads: ontology, data, rules, shapes, sources."""
    root = root or project_dir()
    paths = [p for layer in LAYERS for p in sorted((root / layer).glob("*.ttl"))]
    paths += sorted((root / "rules").glob("*.rq"))
    return paths + sorted((root / "shapes").glob("*.ttl")) + sorted((root / "sources").glob("*.txt"))


def input_hashes() -> dict[str, str]:
    root = project_dir()
    return {str(p.relative_to(root)): file_sha256(p) for p in input_paths(root)}


def read_manifest(out: Path | None = None) -> dict | None:
    path = (out or build_dir()) / MANIFEST
    try:
        return json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None


def artefact_key(out: Path | None = None) -> str | None:
    """What names the artefact's content, for the stores and caches made from
    it: the manifest's ``artefact`` hash (a build that only re-checked inputs
    keeps it), for an older manifest the hash of the whole manifest, and
    None without a manifest."""
    try:
        raw = ((out or build_dir()) / MANIFEST).read_bytes()
    except OSError:
        return None
    try:
        key = json.loads(raw).get("artefact")
    except (ValueError, AttributeError):
        key = None
    return key if isinstance(key, str) and key else hashlib.sha256(raw).hexdigest()


def file_sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with open(path, "rb") as handle:
        for block in iter(lambda: handle.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def is_current(out: Path | None = None) -> bool:
    out = out or build_dir()
    manifest = read_manifest(out)
    return bool(manifest) and manifest.get("version") == __version__ and (out / ARTEFACT).exists() \
        and manifest.get("inputs") == input_hashes()
