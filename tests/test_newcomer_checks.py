"""The mistakes a newcomer makes when adding a source, each caught by `kg
validate` as one line that names the file and line and says what was
expected (src/kg/pipeline/registry.py, checks.py, excerpts.py). Each case
breaks a copy of the project in one way and names the line it must get."""
from __future__ import annotations

from pathlib import Path

import pytest

from kg.cli import main

B5 = "000_c403c629176c5146.txt"


def _edit(project: Path, name: str, old: str, new: str) -> None:
    path = project / name
    text = path.read_text(encoding="utf-8")
    assert old in text, old
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


def _line(project: Path, name: str, start: str) -> str:
    lines = (project / name).read_text(encoding="utf-8").splitlines()
    return f"{name}:{next(n for n, line in enumerate(lines, 1) if line.startswith(start))}: "


def unregistered_file(p):
    (p / "sources" / "005_new.txt").write_text("A new text.\n", encoding="utf-8")
    return ("sources/005_new.txt: not registered: no pe:Source in data/sources.ttl has dcterms:identifier "
            "\"005_new.txt\"; run `kg source add sources/005_new.txt --title TITLE --kind KIND`")


def stale_hash(p):
    with open(p / "sources" / B5, "a", encoding="utf-8") as handle:
        handle.write("\nAn edit.\n")
    return f"sources/SHA256SUMS:1: sources/{B5} has changed (sha256 "


def missing_hash_line(p):
    _edit(p, "sources/SHA256SUMS", f"a47ab4fa24e14cf94e0b3ad51706165c3d26439fad761600c0df40686753443e  {B5}\n", "")
    return f"sources/{B5}: no line in sources/SHA256SUMS; run `cd sources && sha256sum {B5} >> SHA256SUMS`"


def source_naming_a_missing_file(p):
    _edit(p, "data/sources.ttl", '"004_d7508ab3757505d4.txt"', '"004_d7508ab3757505d5.txt"')
    return (_line(p, "data/sources.ttl", "src:alliance-blog a") + "src:alliance-blog names dcterms:identifier "
            "\"004_d7508ab3757505d5.txt\", which is not in sources/")


def missing_source_node(p):
    text = (p / "data/sources.ttl").read_text(encoding="utf-8")
    start = text.index("src:alliance-blog a pe:Source")
    (p / "data/sources.ttl").write_text(text[:start] + text[text.index("\n\n", start) + 2:], encoding="utf-8")
    return "src:alliance-blog is not a registered source: data/sources.ttl has no `src:alliance-blog a pe:Source`"


def shared_prefix(p):
    _edit(p, "data/sources.ttl", 'pe:excerptPrefix "blog"', 'pe:excerptPrefix "b5"')
    return _line(p, "data/sources.ttl", "src:alliance-blog a") + 'src:alliance-blog has pe:excerptPrefix "b5", already used by src:matrix-b5'


def mistyped_excerpt_name(p):
    _edit(p, "data/matrix-b5.ttl", "pe:groundedIn ex:b5-440-528 ,", "pe:groundedIn ex:b5-440-529 ,")
    return (_line(p, "data/matrix-b5.ttl", "work:relationship-with-therapist-offenders-2008 a") +
            "work:relationship-with-therapist-offenders-2008 uses ex:b5-440-529, which is not defined in any data "
            "file; did you mean ex:b5-440-528?")


def mistyped_term(p):
    _edit(p, "data/matrix-b5.ttl", "pe:groundedIn ex:b5-440-528 ,", "pe:groundIn ex:b5-440-528 ,")
    return "uses pe:groundIn, which is not a term of the ontology (ontology/*.ttl); did you mean pe:groundedIn?"


def excerpt_name_disagrees_with_offsets(p):
    for name in ("data/matrix-b5.ttl",):
        text = (p / name).read_text(encoding="utf-8")
        (p / name).write_text(text.replace("ex:b5-530-579", "ex:b5-530-578"), encoding="utf-8")
    return (_line(p, "data/matrix-b5.ttl", "ex:b5-530-578 a") + "ex:b5-530-578 is named for characters 530..578 but "
            "its pe:start/pe:end are 530..579; name it ex:b5-530-579")


def wrong_letter(p):
    _edit(p, "data/matrix-b5.ttl", 'pe:year "2008"^^xsd:gYear ;\n    pe:matrixCategory "K"',
          'pe:year "2008"^^xsd:gYear ;\n    pe:matrixCategory "R"')
    return (_line(p, "data/matrix-b5.ttl", "work:relationship-with-therapist-offenders-2008 a") +
            "work:relationship-with-therapist-offenders-2008 has pe:matrixCategory R, but the source prints K before "
            "the excerpt that lists it (ex:b5-440-528)")


def year_not_in_text(p):
    _edit(p, "data/matrix-b5.ttl", 'pe:year "2014"^^xsd:gYear', 'pe:year "2015"^^xsd:gYear')
    return (_line(p, "data/matrix-b5.ttl", "work:client-centred-supervision-motivates-2014 a") +
            "work:client-centred-supervision-motivates-2014 has pe:year 2015, which is not in the excerpt that lists it")


def title_not_in_text(p):
    _edit(p, "data/matrix-b5.ttl", 'dcterms:title "Client-centred supervision motivates UK offenders"',
          'dcterms:title "Client-centered supervision motivates UK offenders"')
    return (_line(p, "data/matrix-b5.ttl", "work:client-centred-supervision-motivates-2014 a") +
            'work:client-centred-supervision-motivates-2014 has dcterms:title "Client-centered supervision')


def formal_power_off_the_scale(p):
    _edit(p, "data/matrix-b5.ttl", "setting:child-protection pe:formalPower 3", "setting:child-protection pe:formalPower 4")
    return (_line(p, "data/matrix-b5.ttl", "setting:child-protection pe:formalPower") +
            "setting:child-protection: pe:formalPower is at most one integer from 0 to 3 (found 4)")


def claim_from_another_source(p):
    with open(p / "data" / "matrix-b5.ttl", "a", encoding="utf-8") as handle:
        handle.write("\nclaim:b5-misattributed a pe:Claim ;\n    rdfs:label \"A claim\"@en ;\n"
                     "    pe:statedIn work:compendium-01-calling-time-on-crime ;\n    pe:evidence ex:b5-530-579 .\n")
    return (_line(p, "data/matrix-b5.ttl", "claim:b5-misattributed a") + "claim:b5-misattributed is pe:statedIn "
            "work:compendium-01-calling-time-on-crime, which is listed in src:compendium, but its pe:evidence quotes "
            "src:matrix-b5")


def offsets_in_bytes(p):
    # ex:b5-14104-14245 quotes a ’ (3 bytes in UTF-8) before it: its byte offsets are larger
    text = (p / "sources" / B5).read_text(encoding="utf-8")
    start = len(text[:14104].encode("utf-8"))
    end = start + len(text[14104:14245].encode("utf-8"))
    _edit(p, "data/sources.ttl", "pe:start 14104 ; pe:end 14245", f"pe:start {start} ; pe:end {end}")
    return "these offsets count bytes; offsets count characters (Unicode code points); the quote is at 14104..14245"


def moved_offsets(p):
    _edit(p, "data/sources.ttl", "pe:start 380 ; pe:end 436", "pe:start 382 ; pe:end 438")
    return (_line(p, "data/sources.ttl", "ex:b5-380-436 a") + "ex:b5-380-436: the text at characters 382..438 of "
            f"sources/{B5} (matrix-b5) is not its pe:exact; the quote is at 380..436")


def source_outside_the_register(p):
    text = (p / "data/sources.ttl").read_text(encoding="utf-8")
    start = text.index("src:alliance-blog a pe:Source")
    end = text.index("\n\n", start) + 2
    (p / "data/sources.ttl").write_text(text[:start] + text[end:], encoding="utf-8")
    with open(p / "data" / "alliance-blog.ttl", "a", encoding="utf-8") as handle:
        handle.write("\n@prefix prov: <http://www.w3.org/ns/prov#> .\n" + text[start:end])
    return "src:alliance-blog: a pe:Source belongs in data/sources.ttl, the register of sources"


MISTAKES = [unregistered_file, stale_hash, missing_hash_line, source_naming_a_missing_file, missing_source_node,
            shared_prefix, mistyped_excerpt_name, mistyped_term, excerpt_name_disagrees_with_offsets, wrong_letter,
            year_not_in_text, title_not_in_text, formal_power_off_the_scale, claim_from_another_source,
            offsets_in_bytes, moved_offsets, source_outside_the_register]


@pytest.mark.parametrize("mistake", MISTAKES, ids=lambda f: f.__name__)
def test_a_newcomers_mistake_is_one_line_naming_file_line_and_what_was_expected(project_copy, capsys, mistake):
    expected = mistake(project_copy)
    assert main(["validate"]) == 2
    problems = capsys.readouterr().err.splitlines()[:-1]
    assert any(expected in line for line in problems), "\n".join(problems)
    assert len(problems) <= 3, "\n".join(problems)  # the mistake, not a cascade of what follows from it


def test_the_real_data_passes_every_check(project_copy, capsys):
    assert main(["validate"]) == 0, capsys.readouterr().err
