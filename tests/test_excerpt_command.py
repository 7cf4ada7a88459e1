"""`kg excerpt`: quotes into excerpt nodes with character offsets, prefix and
suffix; the nearest passages when a quote is not in the text; the
occurrences when it is there more than once; --into; and --reanchor, which
moves an excerpt only where its text is certain to be and reports the rest."""
from __future__ import annotations

import re

import pytest
from rdflib import Graph, Namespace

from kg.cli import main

PE = Namespace("https://w3id.org/practitioner-evidence/ontology#")
EX = Namespace("https://w3id.org/practitioner-evidence/id/excerpt/")
PREFIXES = """@prefix pe: <https://w3id.org/practitioner-evidence/ontology#> .
@prefix src: <https://w3id.org/practitioner-evidence/id/source/> .
@prefix ex: <https://w3id.org/practitioner-evidence/id/excerpt/> .
"""
B5 = "000_c403c629176c5146.txt"
RULE = "The trickier the situation, the more the worker matters."


def _run(capsys, *args):
    code = main(list(args))
    out, err = capsys.readouterr()
    return code, out, err


def _text(project, name=B5):
    return (project / "sources" / name).read_text(encoding="utf-8")


@pytest.mark.parametrize("given", ["matrix-b5", B5, f"sources/{B5}"])
def test_a_quote_becomes_an_excerpt_node_with_offsets_prefix_and_suffix(project_copy, capsys, given):
    quote = "Relationship with therapist seems more important for offenders than other clients (2008)"
    code, out, _err = _run(capsys, "excerpt", given, quote)
    assert code == 0
    graph = Graph().parse(data=PREFIXES + out, format="turtle")
    node = EX["b5-440-528"]
    start, end = int(graph.value(node, PE.start)), int(graph.value(node, PE.end))
    text = _text(project_copy)
    assert text[start:end] == str(graph.value(node, PE.exact)) == quote
    assert text[:start].endswith(str(graph.value(node, PE.prefix)))
    assert text[end:].startswith(str(graph.value(node, PE.suffix)))


def test_a_straight_apostrophe_for_a_typographic_one_gets_the_passage_and_its_offsets(project_copy, capsys):
    code, out, err = _run(capsys, "excerpt", "matrix-b5", "has over a patient's life")
    assert code == 2 and out == ""
    assert "is not in matrix-b5" in err and "differs only in quotes, dashes, whitespace or case" in err
    start, end = map(int, re.search(r"--at (\d+):(\d+)", err).groups())
    assert _text(project_copy)[start:end] == "has over a patient’s life"


def test_a_misspelt_quote_gets_the_nearest_passage(project_copy, capsys):
    code, _out, err = _run(capsys, "excerpt", "matrix-b5", "Relationship with therapist seems more importent for offenders")
    assert code == 2 and "% alike" in err and "--at 440:502" in err


def test_a_quote_that_occurs_twice_lists_both_and_asks_which(project_copy, capsys):
    code, _out, err = _run(capsys, "excerpt", "matrix-b5", RULE)
    assert code == 2 and "occurs 2 times" in err and "--occurrence N" in err
    assert "1: 380..436" in err and "2: 14468..14524" in err
    code, out, _err = _run(capsys, "excerpt", "matrix-b5", RULE, "--occurrence", "2")
    assert code == 0 and out.startswith("ex:b5-14468-14524 a pe:Excerpt")


def test_quotes_from_a_file_go_into_a_data_file_once(project_copy, capsys, tmp_path):
    quotes = tmp_path / "quotes.txt"
    quotes.write_text("At a Canadian substance use rehabilitation centre\n\nSupervising offenders is about the "
                      "quality of the relationship\n", encoding="utf-8")
    target = project_copy / "data" / "matrix-b5.ttl"
    before = target.read_text(encoding="utf-8")
    code, out, _err = _run(capsys, "excerpt", "matrix-b5", "--from", str(quotes), "--into", str(target))
    assert code == 0 and "ex:b5-530-579  530..579  already in" in out and "written to" in out
    added = target.read_text(encoding="utf-8")[len(before):]
    assert added.count("a pe:Excerpt") == 1 and "pe:prefix" in added
    assert _run(capsys, "validate")[0] == 0


def test_nothing_is_written_when_one_quote_is_not_placed(project_copy, capsys):
    target = project_copy / "data" / "matrix-b5.ttl"
    before = target.read_bytes()
    code, _out, err = _run(capsys, "excerpt", "matrix-b5", "At a Canadian", "no such words anywhere", "--into", str(target))
    assert code == 2 and "quote 2:" in err and "nothing was written" in err
    assert target.read_bytes() == before


@pytest.mark.parametrize("args, expected", [
    (["sources/x.txt", "a quote"], "sources/x.txt: no such source; give a slug (matrix-b5"),
    (["matrix-b5", "--at", "5:3"], "--at 5:3 is not a span of matrix-b5"),
    (["matrix-b5", "--at", "five"], "--at five: expected START:END"),
    (["matrix-b5"], "give one or more quotes"),
])
def test_bad_input_is_one_clear_line_and_exit_2(project_copy, capsys, args, expected):
    code, _out, err = _run(capsys, "excerpt", *args)
    assert code == 2 and expected in err and "Traceback" not in err


@pytest.mark.parametrize("content, expected", [
    (b"caf\xe9\n", "not UTF-8 text"),
    (b"@prefix ex: <x> .\nthis is not turtle\n", "into.ttl:2:"),
    (b"# no prefixes\n", "the excerpts need these prefixes at the top of the file: @prefix pe:"),
])
def test_a_bad_file_to_write_into_is_one_line_and_left_as_it_was(project_copy, capsys, tmp_path, content, expected):
    target = tmp_path / "into.ttl"
    target.write_bytes(content)
    code, _out, err = _run(capsys, "excerpt", "matrix-b5", "At a Canadian", "--into", str(target))
    assert code == 2 and expected in err and len(err.strip().splitlines()) == 1, err
    assert target.read_bytes() == content


def test_quotes_in_a_file_that_is_not_utf8_are_one_line(project_copy, capsys, tmp_path):
    quotes = tmp_path / "quotes.txt"
    quotes.write_bytes(b"caf\xe9\n")
    code, _out, err = _run(capsys, "excerpt", "matrix-b5", "--from", str(quotes))
    assert code == 2 and "quotes.txt: not UTF-8 text" in err and "Traceback" not in err


def test_a_file_in_sources_not_yet_registered_says_to_run_source_add(project_copy, capsys):
    (project_copy / "sources" / "new.txt").write_text("Some text.", encoding="utf-8")
    code, _out, err = _run(capsys, "excerpt", "sources/new.txt", "Some text")
    assert code == 2 and "not a registered source; register it with `kg source add sources/new.txt" in err


# ---------------------------------------------------------------- re-anchoring

BLOG = "004_d7508ab3757505d4.txt"


def _excerpts(project, slug="alliance-blog"):
    graph = Graph()
    for path in (project / "data").glob("*.ttl"):
        graph.parse(path, format="turtle")
    source = f"https://w3id.org/practitioner-evidence/id/source/{slug}"
    return graph, {e for e in graph.subjects(PE.inSource, None) if str(graph.value(e, PE.inSource)) == source}


def test_a_corrected_copy_stops_the_build_listing_every_excerpt_that_no_longer_matches(project_copy, capsys):
    _graph, excerpts = _excerpts(project_copy)
    path = project_copy / "sources" / BLOG
    path.write_text("A line the corrected copy adds.\n" + path.read_text(encoding="utf-8"), encoding="utf-8")
    code, _out, err = _run(capsys, "build")
    assert code == 2 and "sources/SHA256SUMS:5: sources/004_d7508ab3757505d4.txt has changed" in err
    moved = [line for line in err.splitlines() if "is not its pe:exact" in line]
    assert len(moved) == len(excerpts) and all("--reanchor alliance-blog" in line for line in moved)


def _correct_the_copy(path, exact):
    """A corrected copy: a line added at the top, the first excerpt's words changed."""
    old = path.read_text(encoding="utf-8")
    path.write_text("A line the corrected copy adds.\n" + old.replace(exact, exact.upper(), 1), encoding="utf-8")


def test_reanchor_moves_nothing_whose_place_is_not_certain(project_copy, capsys):
    """Without pe:prefix and pe:suffix an excerpt is not moved, even where its
    quote alone occurs once: the blog's title is edited in place, and the
    same words further on are another passage."""
    path = project_copy / "sources" / BLOG
    graph, excerpts = _excerpts(project_copy)
    first = min(excerpts, key=lambda e: int(graph.value(e, PE.start)))
    assert not any(graph.value(e, PE.prefix) or graph.value(e, PE.suffix) for e in excerpts)
    _correct_the_copy(path, str(graph.value(first, PE.exact)))
    before = {p.name: p.read_bytes() for p in (project_copy / "data").glob("*.ttl")}
    code, out, err = _run(capsys, "excerpt", "--reanchor", "alliance-blog")
    assert code == 2 and "0 moved" in out
    assert err.count("records no pe:prefix or pe:suffix") == len(excerpts)
    assert {p.name: p.read_bytes() for p in (project_copy / "data").glob("*.ttl")} == before


def test_reanchor_moves_what_is_certain_renames_it_and_reports_orphans(project_copy, capsys):
    path = project_copy / "sources" / BLOG
    code, out, _err = _run(capsys, "excerpt", "--add-context", "alliance-blog")  # before the text changes
    assert code == 0 and "recorded on" in out
    graph, excerpts = _excerpts(project_copy)
    first = min(excerpts, key=lambda e: int(graph.value(e, PE.start)))
    _correct_the_copy(path, str(graph.value(first, PE.exact)))
    code, out, err = _run(capsys, "excerpt", "--reanchor", "alliance-blog")
    assert code == 2
    orphans = [line for line in err.splitlines() if "orphan" in line]
    assert any(str(first).rsplit("/", 1)[1] in line for line in orphans)
    assert re.match(r"data/alliance-blog\.ttl:\d+: ex:blog-", orphans[0])
    new_graph, new_excerpts = _excerpts(project_copy)
    text = path.read_text(encoding="utf-8")
    assert len(new_excerpts) == len(excerpts)
    placed = [e for e in new_excerpts
              if text[int(new_graph.value(e, PE.start)):int(new_graph.value(e, PE.end))] == str(new_graph.value(e, PE.exact))]
    assert len(placed) + len(orphans) == len(excerpts) and f"{len(placed)} moved" in out
    assert len(placed) > len(orphans) >= 1
    for e in placed:  # named for their new offsets
        assert str(e).endswith(f"-{new_graph.value(e, PE.start)}-{new_graph.value(e, PE.end)}")
    assert first in new_excerpts  # the orphan is left as it was, for a person to fix
    code, _out, err = _run(capsys, "validate")
    assert code == 2 and "SHA256SUMS" not in err  # the new hash is recorded; only the orphans remain
    assert len([line for line in err.splitlines() if "is not its pe:exact" in line]) == len(orphans)


def test_add_context_gives_older_excerpts_their_prefix_and_suffix_adding_lines_only(project_copy, capsys):
    data = project_copy / "data" / "alliance-blog.ttl"
    before = data.read_text(encoding="utf-8")
    code, out, _err = _run(capsys, "excerpt", "--add-context", "alliance-blog")
    assert code == 0 and "data/alliance-blog.ttl: pe:prefix and pe:suffix recorded on" in out
    after = data.read_text(encoding="utf-8")
    added = [line for line in after.splitlines() if line.lstrip().startswith("pe:prefix")]
    assert len(added) >= 50  # every excerpt of the blog
    assert "".join(line for line in after.splitlines(keepends=True) if not line.lstrip().startswith("pe:prefix")) == before
    graph, excerpts = _excerpts(project_copy)
    text = _text(project_copy, BLOG)
    for e in excerpts:
        start, end = int(graph.value(e, PE.start)), int(graph.value(e, PE.end))
        assert text[:start].endswith(str(graph.value(e, PE.prefix) or "")) and text[end:].startswith(str(graph.value(e, PE.suffix) or ""))
    assert _run(capsys, "excerpt", "--add-context", "alliance-blog")[1].startswith("every excerpt of alliance-blog already")
    assert _run(capsys, "validate")[0] == 0
