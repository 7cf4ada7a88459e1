"""`kg source add`: a text copied byte for byte into sources/, its hash
recorded, its pe:Source written into data/sources.ttl and a starter data
file that parses and validates; bad input is one line and nothing written."""
from __future__ import annotations

import hashlib

import pytest

from kg.cli import main

TEXT = "Notes on practice\n\nA first line with a ’ and a — in it.\r\nA second line.\n"


def _snapshot(project):
    return {p.relative_to(project): p.read_bytes() for folder in ("sources", "data")
            for p in (project / folder).iterdir()}


def test_a_source_is_copied_hashed_registered_and_started(project_copy, capsys, tmp_path):
    given = tmp_path / "notes.txt"
    given.write_bytes(TEXT.encode("utf-8"))
    assert main(["source", "add", str(given), "--title", "Notes on practice", "--kind", "report"]) == 0
    out = capsys.readouterr().out
    digest = hashlib.sha256(given.read_bytes()).hexdigest()
    name = f"005_{digest[:16]}.txt"
    assert f"sources/{name}" in out and "next: kg excerpt notes-on-practice" in out
    assert (project_copy / "sources" / name).read_bytes() == given.read_bytes()  # \r\n kept
    assert f"{digest}  {name}" in (project_copy / "sources" / "SHA256SUMS").read_text().splitlines()
    register = (project_copy / "data" / "sources.ttl").read_text(encoding="utf-8")
    assert "src:notes-on-practice a pe:Source" in register and 'pe:excerptPrefix "nop"' in register
    assert register.index("src:notes-on-practice") < register.index("# ---------------------------------------------------------------- propositions")
    assert (project_copy / "data" / "notes-on-practice.ttl").is_file()
    assert main(["validate"]) == 0, capsys.readouterr().err
    assert main(["excerpt", "notes-on-practice", "a ’ and a —"]) == 0
    start = TEXT.index("a ’")  # characters, not bytes: the ’ and the — are one each
    assert f"ex:nop-{start}-{start + 11} a pe:Excerpt" in capsys.readouterr().out


@pytest.mark.parametrize("setup, args, expected", [
    (None, ["missing.txt"], "missing.txt: no such file"),
    (b"caf\xe9\n", ["latin1.txt"], "latin1.txt:1: not UTF-8 text"),
    ("copy", ["b5.txt"], "already in sources/ as 000_c403c629176c5146.txt"),
    (b"x\n", ["x.txt", "--slug", "matrix-b5"], "--slug matrix-b5: already the slug of 000_c403c629176c5146.txt"),
    (b"x\n", ["x.txt", "--prefix", "b5"], "--prefix b5: already the excerpt prefix of src:matrix-b5"),
    (b"x\n", ["x.txt", "--slug", "Bad Slug"], "--slug 'Bad Slug': lower-case letters"),
    (b"x\n", ["x.txt", "--prefix", "a-b"], "--prefix 'a-b': lower-case letters and digits"),
])
def test_bad_input_is_one_line_and_nothing_is_written(project_copy, capsys, tmp_path, setup, args, expected):
    path = tmp_path / args[0]
    if setup == "copy":
        path.write_bytes((project_copy / "sources" / "000_c403c629176c5146.txt").read_bytes())
    elif setup is not None:
        path.write_bytes(setup)
    before = _snapshot(project_copy)
    code = main(["source", "add", str(path), *args[1:], "--title", "T", "--kind", "report"])
    err = capsys.readouterr().err
    assert code == 2 and expected in err and len(err.strip().splitlines()) == 1, err
    assert _snapshot(project_copy) == before


@pytest.mark.parametrize("hashed_by_hand", [False, True])
def test_a_file_already_in_sources_is_registered_where_it_is(project_copy, capsys, hashed_by_hand):
    (project_copy / "sources" / "extra.txt").write_text("An extra text.\n", encoding="utf-8")
    if hashed_by_hand:  # as the old recipe said: cd sources && sha256sum NEW.txt >> SHA256SUMS
        with open(project_copy / "sources" / "SHA256SUMS", "a", encoding="utf-8") as sums:
            digest = hashlib.sha256("An extra text.\n".encode()).hexdigest()
            sums.write(f"{digest}  extra.txt\n")
    assert main(["validate"]) == 2
    assert "sources/extra.txt: not registered" in capsys.readouterr().err
    assert main(["source", "add", str(project_copy / "sources" / "extra.txt"), "--title", "An extra text",
                 "--kind", "note"]) == 0
    assert main(["validate"]) == 0, capsys.readouterr().err
    assert 'dcterms:identifier "extra.txt"' in (project_copy / "data" / "sources.ttl").read_text(encoding="utf-8")
