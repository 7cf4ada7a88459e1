"""kg.nesting: the regular-expression pass that clears most texts agrees
with the character scan that finds the offending bracket."""
from __future__ import annotations

import random

from kg.nesting import _first_too_deep, too_deep

PIECES = ['"', "'", '"""', "'''", "\\", "\n", "#", "<", ">", "<a>", "<a b>", '"a\\"b"',
          "(", ")", "[", "]", "{", "}", "x", " "]


def test_the_fast_pass_and_the_scan_agree_on_random_texts():
    rnd = random.Random(19)
    for _ in range(20000):
        text = "".join(rnd.choice(PIECES) for _ in range(rnd.randint(0, 30)))
        for limit in (0, 1, 2, 3):
            assert too_deep(text, limit) == _first_too_deep(text, limit), (text, limit)


def test_brackets_in_strings_iris_and_comments_do_not_count():
    hidden = '"((((" \'[[[[\' """{{{{\n((((""" <urn:x> # ((((\n'
    assert too_deep(hidden + "(())", 2) is None
    assert too_deep(hidden + "((()))", 2) == len(hidden) + 2


def test_an_unclosed_string_ends_at_its_line_or_the_text():
    assert too_deep('"(((\n(((', 2) == 7
    assert too_deep('"""(((\n(((', 2) is None


# ---------------------------------------------------------------- the bound read off a file's triples

def _random_object(rnd: random.Random, depth: int) -> str:
    """A random Turtle object: names, strings holding brackets, [], (),
    property lists and collections inside one another."""
    kind = rnd.choice("nslcbe" if depth < 9 else "ns")
    if kind == "n":
        return "ex:o"
    if kind == "s":
        return rnd.choice(['"(]"', "'[['", '"""\n((\n"""'])
    if kind == "e":
        return rnd.choice(["[]", "()"])
    items = [_random_object(rnd, depth + 1) for _ in range(rnd.randint(1, 3))]
    if kind == "l":
        return "( " + " ".join(items) + " )"
    return "[ " + " ; ".join(f"ex:p{n} {item}" for n, item in enumerate(items)) + " ]"


def _parsed(text: str):
    """The triples kg's loader makes of ``text`` (None when Oxigraph rejects it)."""
    from pathlib import Path

    from kg.pipeline.load import InputFile, _parse_fast
    parsed = _parse_fast(text, InputFile(Path("/tmp/nesting.ttl"), "data"), {})
    return None if parsed is None else parsed[0]


def test_the_bound_read_off_the_triples_is_never_below_the_brackets_depth():
    """The loader skips the text scan when the triples show the brackets
    cannot nest past the limit: for every random Turtle text Oxigraph
    accepts, the bound is at least the depth the scan finds."""
    from kg.nesting import _deepest
    from kg.pipeline.load import bracket_depth_bound
    rnd, depths = random.Random(7), set()
    for _ in range(3000):
        objects = ", ".join(_random_object(rnd, 0) for _ in range(rnd.randint(1, 3)))
        text = f"@prefix ex: <http://example.org/> .\nex:s ex:p {objects} .\n"
        triples = _parsed(text)
        assert triples is not None, text
        depths.add(_deepest(text))
        assert bracket_depth_bound(triples) >= _deepest(text), text
    assert max(depths) >= 8  # deep texts were among them


def test_deep_brackets_are_found_and_labelled_chains_are_not_brackets():
    from kg.pipeline.load import bracket_depth_bound
    deep = "@prefix ex: <http://example.org/> .\nex:a ex:p " + "[ ex:p " * 100 + "ex:o" + " ]" * 100 + " .\n"
    assert bracket_depth_bound(_parsed(deep)) >= 100
    lists = "@prefix ex: <http://example.org/> .\nex:a ex:p " + "( " * 100 + ")" * 100 + " .\n"
    assert bracket_depth_bound(_parsed(lists)) >= 100
    chain = "@prefix ex: <http://example.org/> .\n" + "".join(f"_:b{i} ex:p _:b{i + 1} .\n" for i in range(100))
    assert bracket_depth_bound(_parsed(chain)) >= 100  # a bound: the text scan then says it is flat
    cycle = "@prefix ex: <http://example.org/> .\n_:a ex:p _:b . _:b ex:p _:a .\n"
    assert bracket_depth_bound(_parsed(cycle)) == float("inf")
    flat = "@prefix ex: <http://example.org/> .\nex:a ex:p [ ex:q ex:o ], ( ex:x ex:y ) .\n"
    assert bracket_depth_bound(_parsed(flat)) <= 3


def test_a_long_chain_of_labelled_blank_nodes_loads(project_copy):
    """Blank nodes 100 deep written with labels have no brackets to nest:
    the text scan the bound calls for lets the file through."""
    from kg.pipeline.load import InputFile, parse_triples
    path = project_copy / "data" / "zz-chain.ttl"
    path.write_text("@prefix ex: <http://example.org/> .\n"
                    + "".join(f"_:b{i} ex:p _:b{i + 1} .\n" for i in range(100)), encoding="utf-8")
    triples, _prefixes = parse_triples(InputFile(path, "data"))
    assert len(triples) == 100
