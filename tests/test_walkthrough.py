"""CONTRIBUTING's "Add a source", run start to finish on a small made-up
source in a copy of the project (tests/walkthrough.py): `kg source add`,
`kg excerpt --from --into`, works and claims, `kg build`; the stress test
gains the claim and `kg explain` shows why. Then the two mistakes a
newcomer makes most (a wrong S/K/R/G letter, a year not in the text) are
caught with their file and line."""
from __future__ import annotations

import hashlib

import pytest

from walkthrough import CLAIM, SLUG, copy_project, kg, walk

WORK = "work:family-court-warm-honest-worker-2019"


@pytest.fixture(scope="module")
def walked(tmp_path_factory):
    project = copy_project(tmp_path_factory.mktemp("walk"))
    return project, {name: result for name, _seconds, result in walk(project)}


def test_a_new_source_reaches_the_stress_test_and_explain(walked):
    project, steps = walked
    assert f"/claim/{CLAIM}" in steps["stress test (cq01)"].stdout
    explained = steps["explain"].stdout
    assert "prp-spo1" in explained and f"data/{SLUG}.ttl:" in explained
    assert "warmth and honesty mattered more to them" in explained


def test_the_new_source_is_registered_once_in_the_data_with_its_hash(walked):
    project, _steps = walked
    register = (project / "data" / "sources.ttl").read_text(encoding="utf-8")
    assert f"src:{SLUG} a pe:Source" in register and 'pe:excerptPrefix "fcp"' in register
    name = next(line.split('"')[1] for line in register.splitlines()
                if "dcterms:identifier" in line and register.index(line) > register.index(f"src:{SLUG} a"))
    digest = hashlib.sha256((project / "sources" / name).read_bytes()).hexdigest()
    assert f"{digest}  {name}" in (project / "sources" / "SHA256SUMS").read_text().splitlines()
    assert (project / "sources" / name).read_bytes() == (project / "incoming" / "family-court-notes.txt").read_bytes()


def test_excerpts_written_by_kg_excerpt_carry_prefix_and_suffix(walked):
    project, _steps = walked
    data = (project / "data" / f"{SLUG}.ttl").read_text(encoding="utf-8")
    assert data.count(f"pe:inSource src:{SLUG}") >= 5
    assert 'pe:prefix "' in data and 'pe:suffix "' in data


def _line_of(text: str, start: str) -> int:
    return next(n for n, line in enumerate(text.splitlines(), 1) if line.startswith(start))


@pytest.mark.parametrize("wrong, right, message", [
    ('pe:matrixCategory "K" ;', 'pe:matrixCategory "S" ;',
     f"{WORK} has pe:matrixCategory S, but the source prints K before the excerpt that lists it"),
    ('pe:year "2019"^^xsd:gYear ;', 'pe:year "2018"^^xsd:gYear ;',
     f"{WORK} has pe:year 2018, which is not in the excerpt that lists it"),
])
def test_a_wrong_letter_or_a_year_not_in_the_text_is_caught_with_file_and_line(walked, wrong, right, message):
    project, _steps = walked
    path = project / "data" / f"{SLUG}.ttl"
    good = path.read_text(encoding="utf-8")
    try:
        path.write_text(good.replace(wrong, right, 1), encoding="utf-8")
        result = kg(project, "validate")
        assert result.returncode == 2
        where = f"data/{SLUG}.ttl:{_line_of(good, WORK + ' a ')}: "
        assert f"{where}{message}" in result.stderr, result.stderr
        assert "Traceback" not in result.stderr
    finally:
        path.write_text(good, encoding="utf-8")
