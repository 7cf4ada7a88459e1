"""FILE:LINE for data errors (src/kg/pipeline/lines.py): the line where a node
is written as a subject, by prefixed name or full IRI; else its first mention."""
from __future__ import annotations

from rdflib import URIRef

from kg.pipeline.lines import short, subject_line

ID = "https://w3id.org/practitioner-evidence/id/"


def test_the_line_of_a_subject_by_prefixed_name_or_iri_else_its_first_mention(tmp_path):
    path = tmp_path / "x.ttl"
    path.write_text(f"""@prefix ex: <{ID}excerpt/> .
@prefix work: <{ID}work/> .
# ex:a is mentioned in a comment first
work:w a <urn:x-t:Work> ;
    <urn:x-t:p> ex:only-an-object .

ex:a a <urn:x-t:Excerpt> .
<{ID}claim/c> a <urn:x-t:Claim> .
""", encoding="utf-8")
    assert subject_line(path, URIRef(ID + "excerpt/a")) == 7
    assert subject_line(path, URIRef(ID + "work/w")) == 4
    assert subject_line(path, URIRef(ID + "claim/c")) == 8
    assert subject_line(path, URIRef(ID + "excerpt/only-an-object")) == 5
    assert subject_line(path, URIRef(ID + "excerpt/nowhere")) is None


def test_short_names_are_written_as_the_data_files_write_them():
    assert short(URIRef(ID + "excerpt/b5-1-2")) == "ex:b5-1-2"
    assert short(URIRef(ID + "source/matrix-b5")) == "src:matrix-b5"
    assert short(URIRef("https://w3id.org/practitioner-evidence/ontology#start")) == "pe:start"
    assert short(URIRef("http://example.org/x")) == "<http://example.org/x>"
