"""A SHACL violation names the data file and line where the offending
triple is stated (kg/pipeline/shacl_lines.py): a planted ``pe:formalPower 7``
in data/matrix-b5.ttl is reported at that file and line, not where the node
is defined (ontology/vocabularies.ttl) or first written."""
from __future__ import annotations

from pathlib import Path

import pytest
from rdflib import Literal, Namespace, URIRef
from rdflib.namespace import RDF

from kg.cli import main
from kg.pipeline.shacl_lines import triple_line

PE = Namespace("https://w3id.org/practitioner-evidence/ontology#")
ID = "https://w3id.org/practitioner-evidence/id/"


def _plant(project: Path, statement: str) -> int:
    """Append a statement to data/matrix-b5.ttl; returns its line."""
    path = project / "data" / "matrix-b5.ttl"
    text = path.read_text(encoding="utf-8").rstrip("\n") + "\n\n"
    path.write_text(text + statement + "\n", encoding="utf-8")
    return text.count("\n") + 1


def _shacl_lines(project: Path) -> list[str]:
    from kg.pipeline.load import load_dataset
    from kg.pipeline.validate import shacl_problems

    dataset, by_graph = load_dataset()
    return shacl_problems(dataset, by_graph)


def _described_in_the_vocabularies(project: Path, prefix: str) -> str:
    """A concept of the vocabularies that is not a setting (so it has no
    formal power, no basis and no grounding)."""
    text = (project / "ontology" / "vocabularies.ttl").read_text(encoding="utf-8")
    return next(line.split()[0] for line in text.splitlines() if line.startswith(prefix + ":") and " a pe:" in line)


def test_a_formal_power_planted_on_a_concept_names_matrix_b5_and_its_line(project_copy):
    concept = _described_in_the_vocabularies(project_copy, "outcome")
    line = _plant(project_copy, f"{concept} pe:formalPower 7 .")
    about = [problem for problem in _shacl_lines(project_copy) if f" {concept}: " in problem]
    assert about, "the planted formal power is not reported"
    for problem in about:  # its missing basis and grounding, and the sh:or: all where the 7 was added
        assert problem.startswith(f"data/matrix-b5.ttl:{line}: "), problem


def test_a_second_formal_power_names_the_line_of_the_value_not_of_the_first_mention(project_copy):
    text = (project_copy / "data" / "matrix-b5.ttl").read_text(encoding="utf-8")
    setting = next(line.split()[0] for line in text.splitlines()
                   if line.startswith("setting:") and " pe:formalPower " in line)
    line = _plant(project_copy, f"{setting} pe:formalPower 7 .")
    problems = _shacl_lines(project_copy)
    assert f"data/matrix-b5.ttl:{line}: {setting}: pe:formalPower is at most one integer from 0 to 3 (found 7)" \
        in problems, "\n".join(problems)
    # too many values: the file that states them (its first one)
    assert any(p.startswith("data/matrix-b5.ttl:") and p.endswith("from 0 to 3") and f" {setting}: " in p
               for p in problems), "\n".join(problems)


def test_kg_validate_prints_the_planted_value_as_one_line_and_fails(project_copy, capsys):
    concept = _described_in_the_vocabularies(project_copy, "factor")
    line = _plant(project_copy, f"{concept} pe:formalPower 7 .")
    assert main(["validate"]) == 2
    err = capsys.readouterr().err.splitlines()
    about = [problem for problem in err if f" {concept}: " in problem]
    assert about and all(problem.startswith(f"data/matrix-b5.ttl:{line}: ") for problem in about), "\n".join(err)
    assert not any("vocabularies.ttl" in problem for problem in err), "\n".join(err)
    assert not any("Traceback" in problem for problem in err)


def test_a_value_planted_inside_an_existing_block_names_its_own_line(project_copy):
    path = project_copy / "data" / "matrix-b5.ttl"
    lines = path.read_text(encoding="utf-8").splitlines()
    at = next(i for i, line in enumerate(lines) if line.startswith("setting:") and " pe:formalPower " in line)
    setting = lines[at].split()[0]
    lines.insert(at + 1, "    pe:formalPower 17 ;")  # 17, not the 1 or 7 written elsewhere
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    problems = _shacl_lines(project_copy)
    assert f"data/matrix-b5.ttl:{at + 2}: {setting}: pe:formalPower is at most one integer from 0 to 3 (found 17)" \
        in problems, "\n".join(problems)


def test_a_shape_the_engine_cannot_run_is_one_line_naming_the_shapes(project_copy, capsys):
    path = project_copy / "shapes" / "shapes.ttl"
    text = path.read_text(encoding="utf-8")
    path.write_text(text.replace('sh:pattern "^[a-z][a-z0-9]*$"', 'sh:pattern "^[a-z"', 1), encoding="utf-8")
    assert main(["validate"]) == 2
    err = capsys.readouterr().err.splitlines()
    assert len(err) == 1 and "shapes:1:1: " in err[0] and "sh:pattern" in err[0], err


@pytest.fixture
def turtle(tmp_path):
    path = tmp_path / "x.ttl"
    path.write_text(
        "@prefix pe: <https://w3id.org/practitioner-evidence/ontology#> .\n"
        "@prefix ex: <https://w3id.org/practitioner-evidence/id/excerpt/> .\n"
        "@prefix claim: <https://w3id.org/practitioner-evidence/id/claim/> .\n"
        "\n"
        "ex:a-1-17 a pe:Excerpt ; pe:start 1 ;\n"        # 5
        "    pe:end 17 ;\n"                               # 6
        '    pe:exact "pe:end 7; 7" .\n'                  # 7
        "\n"
        "ex:a-1-17 pe:end 7 .\n"                          # 9
        "claim:c pe:evidence ex:b-2-3 ,\n"                # 10
        "        ex:a-1-17 .\n",                          # 11
        encoding="utf-8")
    return path


def test_a_literal_is_found_as_a_whole_token_after_its_predicate(turtle):
    excerpt = URIRef(ID + "excerpt/a-1-17")
    assert triple_line(turtle, (excerpt, PE.end, Literal(17))) == 6
    assert triple_line(turtle, (excerpt, PE.end, Literal(7))) == 9  # not inside the quotation on line 7
    assert triple_line(turtle, (excerpt, PE.start, Literal(1))) == 5
    assert triple_line(turtle, (excerpt, RDF.type, PE.Excerpt)) == 5
    assert triple_line(turtle, (excerpt, PE.end, None)) == 6
    assert triple_line(turtle, (excerpt, PE.end, Literal(8))) is None


def test_an_object_in_a_list_of_objects_and_an_unknown_subject(turtle):
    excerpt = URIRef(ID + "excerpt/a-1-17")
    claim = URIRef(ID + "claim/c")
    assert triple_line(turtle, (claim, PE.evidence, excerpt)) == 11
    assert triple_line(turtle, (None, PE.evidence, excerpt)) == 11
