"""The build checks the shapes in a background thread, on a pyoxigraph Store
it reads from the files itself (kg/pipeline/shacl_background.py). For every
planted violation of tests/test_shacl_engines.py, written into a data file,
that route gives the same results and the same problem lines (file and
line) as validating an rdflib Graph of the build's own triples; so does the
real data (no line). A violation on a blank node, which the Store's terms
cannot place in a file, is placed through the build's own terms."""
from __future__ import annotations

import pytest
from rdflib import BNode, Graph, Literal
from rdflib.namespace import RDF, RDFS

from kg.pipeline.load import input_files, load_dataset, load_graphs
from kg.pipeline.shacl_background import ShaclInBackground
from kg.pipeline.validate import shacl_problems, union_of, validate
from test_shacl_engines import CASES, PE


def _keys(findings) -> set:
    """Each result; a property shape written as a blank node (each route
    parses the shapes itself) by the path it constrains."""
    return {(f.focus, f.path, f.value, f.component, "property shape" if isinstance(f.shape, BNode) else f.shape,
             f.severity) for f in findings}


def _project_of(project, graph: Graph) -> None:
    """The project's inputs replaced by one data file holding ``graph``."""
    for path in [*(project / "ontology").glob("*.ttl"), *(project / "data").glob("*.ttl")]:
        path.unlink()
    (project / "data" / "all.ttl").write_bytes(graph.serialize(format="nt", encoding="utf-8"))


@pytest.fixture(scope="module")
def real_union():
    dataset, by_graph = load_dataset()
    return union_of(dataset, by_graph)


def _both_routes(project):
    from kg.pipeline.shacl import shacl_findings
    files = input_files()
    graphs, by_graph = load_graphs(files)
    background = ShaclInBackground(files)
    assert background.findings() is not None, "the Store could not be made from the files"
    union = shacl_findings(union_of(graphs, by_graph))
    return graphs, by_graph, background, union


@pytest.mark.parametrize("plant", CASES, ids=lambda f: f.__name__[len("plant_"):])
def test_a_planted_violation_gives_the_same_results_and_lines_from_the_files_store(project_copy, real_union, plant):
    broken = Graph()
    for triple in real_union:
        broken.add(triple)
    plant(broken)
    _project_of(project_copy, broken)
    graphs, by_graph, background, union = _both_routes(project_copy)
    assert _keys(background.findings()) == _keys(union)
    lines = shacl_problems(graphs, by_graph, background=background)
    assert lines and lines == shacl_problems(graphs, by_graph)
    assert all(line.startswith("data/all.ttl:") for line in lines), lines


def test_the_real_data_conforms_by_both_routes(project_copy):
    files = input_files()
    graphs, by_graph = load_graphs(files)
    assert validate(graphs, by_graph, ShaclInBackground(files)) == [] == validate(graphs, by_graph)


def test_a_violation_on_a_blank_node_is_placed_through_the_builds_own_terms(project_copy, real_union):
    broken = Graph()
    for triple in real_union:
        broken.add(triple)
    claim = BNode()
    broken.add((claim, RDF.type, PE.Claim))  # a claim with no label, statement, excerpt …
    broken.add((claim, RDFS.comment, Literal("planted")))
    _project_of(project_copy, broken)
    graphs, by_graph, background, _union = _both_routes(project_copy)
    assert any(isinstance(f.focus, BNode) for f in background.findings())
    lines = shacl_problems(graphs, by_graph, background=background)
    assert lines == shacl_problems(graphs, by_graph)
    assert any(line.startswith("data/all.ttl:") and line.split(":")[1] != "1" for line in lines), lines


def test_a_shape_the_engine_cannot_run_is_raised_to_the_thread_that_asks(project_copy):
    from kg.errors import InputError
    path = project_copy / "shapes" / "shapes.ttl"
    text = path.read_text(encoding="utf-8")
    path.write_text(text.replace('sh:pattern "^[a-z][a-z0-9]*$"', 'sh:pattern "^[a-z"', 1), encoding="utf-8")
    with pytest.raises(InputError, match="sh:pattern"):
        ShaclInBackground(input_files()).findings()


def test_a_file_oxigraph_cannot_read_leaves_validation_to_the_build(project_copy):
    (project_copy / "data" / "zz-broken.ttl").write_text("this is not turtle .\n", encoding="utf-8")
    assert ShaclInBackground(input_files()).findings() is None


def test_a_message_the_engine_writes_names_terms_by_prefix_as_the_graph_route_does(project_copy):
    (project_copy / "shapes" / "extra.ttl").write_text(
        "@prefix sh: <http://www.w3.org/ns/shacl#> .\n"
        "@prefix pe: <https://w3id.org/practitioner-evidence/ontology#> .\n"
        "<urn:x-test:colour> a sh:NodeShape ; sh:targetClass pe:Claim ;\n"
        "    sh:property [ sh:path pe:colour ; sh:minCount 1 ] .\n", encoding="utf-8")
    files = input_files()
    graphs, by_graph = load_graphs(files)
    lines = shacl_problems(graphs, by_graph, background=ShaclInBackground(files))
    assert lines and all("pe:colour" in line for line in lines), lines[:3]
    assert lines == shacl_problems(graphs, by_graph)
