"""Coverage: every item each source lists is in the graph with the right type.

The expectations are written from reading the sources, not from the data.
"""
import re
from decimal import Decimal

from rdflib import Literal, Namespace, URIRef
from rdflib.namespace import DCTERMS, RDF, XSD

PE = Namespace("https://w3id.org/practitioner-evidence/ontology#")
ID = "https://w3id.org/practitioner-evidence/id/"
SRC = Namespace(ID + "source/")

# Cell B5's listed works: category letter, headline title, year (000_…txt)
B5_WORKS = [
    ("K", "Relationship with therapist seems more important for offenders than other clients", "2008"),
    ("K", "Client-centred supervision motivates UK offenders", "2014"),
    ("K", "‘Not my job’ perception and lack of confidence impede assessment of domestic violence", "2016"),
    ("K", "Mothers in Wales see staff support as critical to child welfare and keeping families together", "2008"),
    ("R", "Supervising offenders is about the quality of the relationship", "2002"),
    ("R", "Best practice in working with substance users in the criminal justice system", "2005"),
    ("R", "Can motivational interviewing work in criminal justice settings?", "2005"),
    ("G", "Manual for research-based offender supervision", "2005"),
    ("G", "Working with men who physically abuse their partners", "2015"),
]

# Cell E5's listed works: letters and the start of the headline (003_…txt)
E5_WORKS = [
    ("SG", "Watershed moment for the place of child protection"),
    ("K", "Probation struggling to cope with alcohol-misusing offenders"),
    ("K", "“Unmet need” for alcohol services in Britain’s prisons"),
    ("K", "Challenges to collaboration between health and criminal justice"),
    ("K", "Lessons of coordinating prison-to-community support in Scotland"),
    ("K", "Inter-agency working helps tackle systemic barriers"),
    ("K", "Lessons from Welsh pilot of integrated support for children"),
    ("KG", "Uncovering and responding to children’s needs"),
    ("K", "Treatment needs help from curbs on availability"),
    ("R", "Managing drink-drivers"),
    ("R", "Melding disparate objectives and cultures"),
    ("R", "The more voluntary the treatment, the greater the crime reduction"),
    ("G", "Management of problem-drinking offenders in England and Wales"),
    ("G", "Scotland aims to divert problem-substance using offenders"),
    ("G", "Scotland advocates “whole family” coordination"),
    ("G", "Protocol for joint working between English substance use"),
    ("G", "A model system for responding to problem-drinking prisoners"),
    ("G", "Working together to prevent domestic violence and abuse"),
    ("G", "Implementing support systems to prevent domestic violence"),
    ("G", "Lessons from drink-related domestic homicides"),
]

# Compendium entries 37-56 are probation-trust fieldwork reports
FIELDWORK = set(range(37, 57))


def _works_listed_in(dataset, source):
    return set(dataset.subjects(PE.listedIn, source))


def test_b5_lists_nine_works_with_letter_title_and_year(dataset):
    # the nine lettered listings; a "see also" work named in a listing has no letter
    works = {w for w in _works_listed_in(dataset, SRC["matrix-b5"]) if dataset.value(w, PE.matrixCategory)}
    assert len(works) == 9
    found = {(str(dataset.value(w, PE.matrixCategory)), str(dataset.value(w, DCTERMS.title)),
              str(dataset.value(w, PE.year))) for w in works}
    assert found == set(B5_WORKS)
    assert _works_listed_in(dataset, SRC["matrix-b5"]) == _works_listed_in(dataset, SRC["matrix-b5-web"])


def test_e5_lists_twenty_works_with_their_letters(dataset):
    works = [w for w in _works_listed_in(dataset, SRC["matrix-e5"]) if dataset.value(w, PE.matrixCategory)]
    titles = {str(dataset.value(w, DCTERMS.title)): w for w in works}
    for letters, start in E5_WORKS:
        match = [t for t in titles if t.startswith(start)]
        assert len(match) == 1, start
        got = "".join(sorted(str(c) for c in dataset.objects(titles[match[0]], PE.matrixCategory)))
        assert got == "".join(sorted(letters)), start


def test_compendium_has_every_entry_from_1_to_56(dataset):
    numbers = {}
    for w in _works_listed_in(dataset, SRC["compendium"]):
        n = dataset.value(w, PE.entryNumber)
        if n is not None:
            numbers[int(n)] = w
    assert set(numbers) == set(range(1, 57))
    for n, w in numbers.items():
        is_fieldwork = (w, RDF.type, PE.FieldworkReport) in dataset
        assert is_fieldwork == (n in FIELDWORK), n
        if is_fieldwork:
            assert dataset.value(w, PE.probationTrust) is not None, n


def test_compendium_first_entry_title_and_authors_as_given(dataset):
    w = URIRef(ID + "work/compendium-01-calling-time-on-crime")
    assert str(dataset.value(w, DCTERMS.title)) == \
        "Calling time on crime: Motivation, generativity and agency in Irish probationers"
    assert {str(c) for c in dataset.objects(w, DCTERMS.creator)} == {"Deirdre Healy", "Ian O’Donnell"}


def test_bordin_components_and_kozar_day_modes(dataset):
    components = set(dataset.subjects(RDF.type, PE.AllianceComponent))
    modes = set(dataset.subjects(RDF.type, PE.ModeOfPractice))
    components = {c for c in components if str(c).rsplit("/", 1)[1] in {"alliance-goals", "alliance-tasks", "alliance-bond"}}
    modes = {m for m in modes if str(m).rsplit("/", 1)[1] in {"mode-educative", "mode-engagement", "mode-therapeutic"}}
    assert len(components) == 3 and len(modes) == 3
    pairs = {(dataset.value(r, PE.mode), dataset.value(r, PE.component))
             for r in dataset.subjects(RDF.type, PE.ModeComponentRelation)}
    assert pairs >= {(m, c) for m in modes for c in components}


def test_central_rule_has_its_two_components(dataset):
    central = URIRef(ID + "proposition/trickier-situation-worker-matters")
    assert set(dataset.objects(central, PE.hasComponent)) == {
        URIRef(ID + "proposition/formal-power-weakens-informal-influence"),
        URIRef(ID + "proposition/control-context-requires-exceptional-abilities"),
    }


def test_settings_formal_power_is_grounded_and_child_protection_is_trickiest(dataset):
    powers = {s: int(p) for s, p in dataset.subject_objects(PE.formalPower)}
    assert powers[URIRef(ID + "setting/child-protection")] == 3
    assert powers[URIRef(ID + "setting/voluntary-treatment")] == 0
    for setting in powers:
        assert dataset.value(setting, PE.groundedIn) is not None, setting


NUMBER_WORDS = {
    "1": ["one"], "2": ["two", "double"], "3": ["three"], "4": ["four"], "5": ["five"], "6": ["six"],
    "7": ["seven"], "8": ["eight"], "9": ["nine"], "10": ["ten"], "11": ["eleven"], "12": ["twelve"],
    "0.5": ["half"], "0.25": ["quarter"],
}


def _written_forms(value: Decimal) -> set[str]:
    """The ways a number can be written in the sources: digits, with a
    thousands separator, or as an English word ("nine", "half")."""
    text = format(value.normalize(), "f")
    forms = {text, str(value)}
    if "." not in text and len(text) > 3:
        forms.add(f"{int(text):,}")
    return forms | set(NUMBER_WORDS.get(text, []))


def test_every_measurement_has_value_group_and_an_excerpt_with_the_number(dataset):
    measurements = set(dataset.subjects(RDF.type, PE.Measurement))
    assert len(measurements) > 100
    for m in measurements:
        value = dataset.value(m, PE.value)
        assert isinstance(value, Literal) and value.datatype in (XSD.decimal, XSD.integer), m
        assert dataset.value(m, PE.group) is not None, m
        excerpts = [str(dataset.value(e, PE.exact)) for e in dataset.objects(m, PE.groundedIn)]
        assert excerpts, m
        text = re.sub(r"\s+", " ", " ".join(excerpts)).lower()
        forms = _written_forms(Decimal(str(value))) | {str(w).lower() for w in dataset.objects(m, PE.valueAsWritten)}
        assert any(form in text for form in forms), f"{m}: {value} not in excerpt"
