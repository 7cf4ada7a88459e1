"""Shared fixtures: one build of the real graph per test session, in a
temporary build folder, and a factory for throw-away project copies."""
from __future__ import annotations

import shutil
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent


@pytest.fixture(scope="session")
def built(tmp_path_factory):
    """Build the real graph once; returns the build folder."""
    import os
    from kg.build import build

    out = tmp_path_factory.mktemp("build")
    previous = os.environ.get("KG_BUILD_DIR")
    os.environ["KG_BUILD_DIR"] = str(out)
    build(force=True, out=out)
    yield out
    if previous is None:
        os.environ.pop("KG_BUILD_DIR", None)
    else:
        os.environ["KG_BUILD_DIR"] = previous


@pytest.fixture(scope="session")
def dataset(built):
    from kg.build import load_artefact

    ds = load_artefact(built)
    ds.default_union = True
    return ds


@pytest.fixture
def project_copy(tmp_path, monkeypatch):
    """A copy of the project's inputs that a test may break."""
    for folder in ("ontology", "shapes", "data", "rules", "queries", "sources"):
        shutil.copytree(ROOT / folder, tmp_path / folder)
    monkeypatch.setenv("KG_PROJECT_DIR", str(tmp_path))
    monkeypatch.setenv("KG_BUILD_DIR", str(tmp_path / "build"))
    from kg import sources
    sources.source_text.cache_clear()
    yield tmp_path
    sources.source_text.cache_clear()
