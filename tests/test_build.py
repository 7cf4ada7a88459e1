"""The build: errors name file and line, exit 2, and leave build/ untouched;
an unchanged build does no work."""
import os
import subprocess
import sys

import pytest

from kg.cli import main


def _kg(*args):
    return subprocess.run([sys.executable, "-m", "kg.cli", *args], capture_output=True, text=True,
                          env=os.environ.copy())


def _snapshot(folder):
    return {p.name: p.read_bytes() for p in folder.iterdir() if p.is_file()}


def test_second_build_with_unchanged_inputs_does_no_work(project_copy, capsys):
    assert main(["build"]) == 0
    before = _snapshot(project_copy / "build")
    capsys.readouterr()
    assert main(["build"]) == 0
    assert "up to date" in capsys.readouterr().out
    assert _snapshot(project_copy / "build") == before


def test_a_file_that_states_the_same_triples_reuses_the_artefact_and_a_new_triple_rebuilds(project_copy, capsys):
    """Only the changed file is parsed when its triples are the same as in the
    last build (a comment, the order of statements); a changed triple means a
    full build."""
    import json
    assert main(["build"]) == 0
    before = _snapshot(project_copy / "build")
    blog = project_copy / "data" / "alliance-blog.ttl"
    text = blog.read_text(encoding="utf-8")
    blog.write_text(text + "\n# a reviewer's note: no new statement\n", encoding="utf-8")
    capsys.readouterr()
    assert main(["build"]) == 0
    assert "data/alliance-blog.ttl changed but states the same triples" in capsys.readouterr().out
    after = _snapshot(project_copy / "build")
    assert after["kg.nq"] == before["kg.nq"] and after["derivations.jsonl"] == before["derivations.jsonl"]
    manifest = json.loads(after["manifest.json"])
    assert manifest["timings"] == json.loads(before["manifest.json"])["timings"]  # nothing was re-run
    capsys.readouterr()
    assert main(["build"]) == 0 and "no input changed" in capsys.readouterr().out

    blog.write_text(text.replace('rdfs:label "The Alliance in Offender Behaviour Programs"@en',
                                 'rdfs:label "The Alliance, renamed"@en', 1), encoding="utf-8")
    assert main(["build"]) == 0
    assert "built" in capsys.readouterr().out
    assert _snapshot(project_copy / "build")["kg.nq"] != before["kg.nq"]


def _record_hash(source):
    from kg.pipeline.registry import file_digest, record_sum
    record_sum(source.name, file_digest(source))


def test_a_changed_source_text_is_checked_again_without_reasoning(project_copy, capsys):
    """Source texts only feed validation: a change to one re-checks the
    excerpts against the unchanged graph and keeps the artefact; a change
    that breaks an excerpt fails the build and keeps it too."""
    import json
    assert main(["build"]) == 0
    before = _snapshot(project_copy / "build")
    source = sorted((project_copy / "sources").glob("*.txt"))[0]
    text = source.read_text(encoding="utf-8")
    source.write_text(text + "\nA line added at the end moves no excerpt.\n", encoding="utf-8")
    unrecorded = _kg("build")
    assert unrecorded.returncode == 2 and f"sources/{source.name} has changed" in unrecorded.stderr
    _record_hash(source)  # a corrected copy, accepted
    capsys.readouterr()
    assert main(["build"]) == 0
    assert f"sources/{source.name} changed; the graph passes the checks, the artefact stands" \
        in capsys.readouterr().out
    after = _snapshot(project_copy / "build")
    assert after["kg.nq"] == before["kg.nq"] and after["derivations.jsonl"] == before["derivations.jsonl"]
    manifest, earlier = json.loads(after["manifest.json"]), json.loads(before["manifest.json"])
    assert manifest["artefact"] == earlier["artefact"] and "revalidate" in manifest["timings"]
    assert manifest["inputs"][f"sources/{source.name}"] != earlier["inputs"][f"sources/{source.name}"]

    source.write_text("An inserted first line moves every excerpt.\n" + text, encoding="utf-8")
    _record_hash(source)
    result = _kg("build")
    assert result.returncode == 2 and "is not its pe:exact" in result.stderr, result.stderr
    assert _snapshot(project_copy / "build")["manifest.json"] == after["manifest.json"]
    assert _kg("build").returncode == 2  # still failing: nothing recorded it as checked

    source.write_text(text, encoding="utf-8")
    _record_hash(source)
    capsys.readouterr()
    assert main(["build"]) == 0 and "the artefact stands" in capsys.readouterr().out
    assert _snapshot(project_copy / "build")["kg.nq"] == before["kg.nq"]


def test_a_changed_shape_is_checked_against_the_graph(project_copy):
    assert _kg("build").returncode == 0
    before = _snapshot(project_copy / "build")
    with open(project_copy / "shapes" / "extra.ttl", "w", encoding="utf-8") as handle:
        handle.write("""@prefix sh: <http://www.w3.org/ns/shacl#> .
@prefix pe: <https://w3id.org/practitioner-evidence/ontology#> .
<urn:x-test:every-claim-needs-a-colour> a sh:NodeShape ; sh:targetClass pe:Claim ;
    sh:property [ sh:path pe:colour ; sh:minCount 1 ] .
""")
    result = _kg("build")
    assert result.returncode == 2 and "pe:colour" in result.stderr, result.stderr
    assert _snapshot(project_copy / "build")["manifest.json"] == before["manifest.json"]
    (project_copy / "shapes" / "extra.ttl").unlink()
    assert _kg("build").returncode == 0
    assert _snapshot(project_copy / "build")["kg.nq"] == before["kg.nq"]


def test_broken_turtle_names_file_and_line_exits_2_and_keeps_the_artefact(project_copy):
    assert _kg("build").returncode == 0
    before = _snapshot(project_copy / "build")
    with open(project_copy / "data" / "broken.ttl", "w", encoding="utf-8") as handle:
        handle.write('@prefix ex: <http://example.org/> .\n\nex:a ex:b "unterminated .\n')
    result = _kg("build")
    assert result.returncode == 2
    lines = result.stderr.strip().splitlines()
    assert lines[-1].startswith("kg: data/broken.ttl:3:"), result.stderr
    assert "Traceback" not in result.stderr
    assert _snapshot(project_copy / "build") == before


def test_undeclared_prefix_is_reported_with_its_line(project_copy):
    (project_copy / "data" / "prefix.ttl").write_text("\n\nfoo:a foo:b foo:c .\n", encoding="utf-8")
    result = _kg("validate")
    assert result.returncode == 2
    assert "data/prefix.ttl:3:" in result.stderr and "foo" in result.stderr


def test_non_utf8_file_is_reported(project_copy):
    (project_copy / "data" / "latin1.ttl").write_bytes(b'# ok\n<http://e/a> <http://e/b> "caf\xe9" .\n')
    result = _kg("build")
    assert result.returncode == 2
    assert "data/latin1.ttl:2:" in result.stderr and "UTF-8" in result.stderr


def test_non_conforming_data_is_rejected_with_its_file_named(project_copy):
    assert _kg("build").returncode == 0
    before = _snapshot(project_copy / "build")
    (project_copy / "data" / "bad-claim.ttl").write_text(
        "@prefix pe: <https://w3id.org/practitioner-evidence/ontology#> .\n"
        "@prefix rdfs: <http://www.w3.org/2000/01/rdf-schema#> .\n"
        "<https://w3id.org/practitioner-evidence/id/claim/unfounded> a pe:Claim ;\n"
        '    rdfs:label "A claim with no work and no excerpt" .\n', encoding="utf-8")
    result = _kg("build")
    assert result.returncode == 2
    assert "data/bad-claim.ttl:3: claim:unfounded:" in result.stderr
    assert "pe:evidence" in result.stderr
    assert _snapshot(project_copy / "build") == before  # kg.nq, written while SHACL ran, is gone with its temporary name
    assert not list((project_copy / "build").glob(".*"))


def test_an_excerpt_that_misquotes_its_source_is_rejected(project_copy):
    path = project_copy / "data" / "sources.ttl"
    text = path.read_text(encoding="utf-8")
    path.write_text(text.replace('pe:start 380 ; pe:end 436', 'pe:start 381 ; pe:end 437'), encoding="utf-8")
    result = _kg("validate")
    assert result.returncode == 2
    assert "data/sources.ttl:" in result.stderr and "is not its pe:exact" in result.stderr
    assert "the quote is at 380..436" in result.stderr and "offsets count characters, not bytes" in result.stderr


def test_manifest_records_inputs_counts_and_timings(project_copy):
    import json
    assert _kg("build").returncode == 0
    manifest = json.loads((project_copy / "build" / "manifest.json").read_text())
    assert "data/matrix-b5.ttl" in manifest["inputs"] and "sources/000_c403c629176c5146.txt" in manifest["inputs"]
    assert manifest["graphs"]["https://w3id.org/practitioner-evidence/graph/inferred"] > 1000
    assert set(manifest["timings"]) >= {"load", "validate", "reason", "write"}


@pytest.mark.parametrize("args", [["query", "no-such-query"], ["query", "SELECT ?x WHERE { ?x ?y }"],
                                  ["query", "--store", "nosuch", "stats-graphs"],
                                  ["explain", "claim:nothing", "pe:bearsOn", "prop:nothing"]])
def test_cli_errors_are_one_line_and_exit_2(built, args):
    result = _kg(*args)
    assert result.returncode == 2
    errors = [line for line in result.stderr.splitlines() if line.startswith("kg:")]
    assert len(errors) == 1 and "Traceback" not in result.stderr, result.stderr


def test_the_kg_command_ends_a_build_at_once_with_its_output_whole(project_copy):
    """``kg build`` leaves without freeing what it built (kg.cli.console):
    its exit status, its last lines and its files are all there."""
    import json
    result = _kg("build", "--force")
    assert result.returncode == 0, result.stderr
    lines = result.stdout.splitlines()
    assert lines[-2].startswith("built ") and lines[-1].startswith("timings (s): load ")
    manifest = json.loads((project_copy / "build" / "manifest.json").read_text(encoding="utf-8"))
    assert f"{manifest['inferred_triples']} inferred triples" in lines[-2]
    assert sorted(p.name for p in (project_copy / "build").iterdir()) == ["derivations.jsonl", "kg.nq", "manifest.json"]
    assert _kg("build").stdout.startswith("up to date")
