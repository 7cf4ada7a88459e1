"""The sources are byte-identical copies, and every excerpt quotes them exactly."""
import hashlib

import pytest
from rdflib import Graph, Namespace
from rdflib.namespace import RDF

from kg.paths import project_dir
from kg.pipeline.sources import registered, source_file_for_iri, source_text

ROOT = project_dir()  # the checkout, or KG_PROJECT_DIR (bench/walkthrough.py --suite)
PE = Namespace("https://w3id.org/practitioner-evidence/ontology#")
DATA_FILES = sorted((ROOT / "data").glob("*.ttl"))


def test_sources_match_their_recorded_sha256():
    recorded = dict(line.split()[::-1] for line in (ROOT / "sources/SHA256SUMS").read_text().splitlines())
    assert set(recorded) == {s.file_name for s in registered()}
    assert set(recorded) == {p.name for p in (ROOT / "sources").iterdir() if p.name != "SHA256SUMS"}
    assert len(recorded) >= 5
    for name, digest in recorded.items():
        assert hashlib.sha256((ROOT / "sources" / name).read_bytes()).hexdigest() == digest, name


@pytest.mark.parametrize("path", DATA_FILES, ids=lambda p: p.name)
def test_every_excerpt_is_verbatim_at_its_offsets(path):
    graph = Graph().parse(path)
    excerpts = set(graph.subjects(RDF.type, PE.Excerpt))
    for ex in excerpts:
        source = graph.value(ex, PE.inSource)
        name = source_file_for_iri(str(source))
        assert name is not None, f"{ex}: source {source} is not one of sources/"
        start, end = int(graph.value(ex, PE.start)), int(graph.value(ex, PE.end))
        assert source_text(name)[start:end] == str(graph.value(ex, PE.exact)), ex


def test_every_claim_and_work_is_grounded_in_an_excerpt(dataset):
    for claim in set(dataset.subjects(RDF.type, PE.Claim)):
        assert dataset.value(claim, PE.statedIn) is not None, claim
        assert dataset.value(claim, PE.evidence) is not None, claim
    for work in set(dataset.subjects(RDF.type, PE.Work)):
        assert dataset.value(work, PE.groundedIn) is not None, work
