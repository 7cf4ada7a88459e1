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
    from kg.pipeline.build import build

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
    from kg.query.artefact import load_artefact

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
    from kg.pipeline import sources
    sources.source_text.cache_clear()
    yield tmp_path
    sources.source_text.cache_clear()


def _free_port() -> int:
    import socket
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture(scope="session")
def live_server(built, tmp_path_factory):
    """The real `kg serve` (waitress) on a free loopback port, in a subprocess,
    on the session's built graph; yields its base URL once /sparql answers
    (its query workers have loaded the store) and stops it afterwards."""
    import os
    import subprocess
    import sys
    import time
    import urllib.request

    port = _free_port()
    log = tmp_path_factory.mktemp("serve") / "kg-serve.log"
    kg = Path(sys.executable).with_name("kg")
    command = [str(kg)] if kg.exists() else [sys.executable, "-c", "from kg.cli import main; raise SystemExit(main())"]
    out = log.open("w")
    process = subprocess.Popen([*command, "serve", "--host", "127.0.0.1", "--port", str(port)],
                               env={**os.environ, "KG_BUILD_DIR": str(built)},
                               stdin=subprocess.DEVNULL, stdout=out, stderr=subprocess.STDOUT)
    base = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 120
        while True:
            if process.poll() is not None:
                raise RuntimeError(f"kg serve exited with {process.returncode}: {log.read_text()[-2000:]}")
            try:
                with urllib.request.urlopen(base + "/sparql?query=ASK%7B%7D", timeout=30) as r:
                    if r.status == 200:
                        break
            except OSError:
                if time.monotonic() > deadline:
                    raise RuntimeError(f"kg serve did not answer on {base} within 120 s")
                time.sleep(0.3)
        yield base
    finally:
        process.terminate()
        try:
            process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()
        out.close()
