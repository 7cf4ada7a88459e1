"""Literals: lexical forms checked against their datatypes, decimals in one form.

A typed literal whose lexical form is not in its datatype's lexical space
(XML Schema 1.1 Part 2, section 3) is ill-typed: OWL 2 RL's rule
dt-not-type makes the graph inconsistent. rdflib flags only the datatypes it
converts, and lets ``"20x1"^^xsd:gYear`` through; the patterns below cover
the XSD datatypes OWL 2 RL supports and the date and time families, with the
integer types' ranges and the calendar's month lengths.

``"85.0"^^xsd:decimal`` and ``"85"^^xsd:decimal`` are one number but two RDF
terms. Oxigraph stores every decimal and integer in its canonical form (XML
Schema 1.1: ``85``, ``1.5``, no leading zeros or ``+``), so the data's are
loaded in that form too: both stores then answer with the same terms.
rdflib's Turtle and TriG writers would turn ``"85"^^xsd:decimal`` into a
bare ``85.0``; ``kg.query.formats.rdf_text`` writes it as it is.
"""
from __future__ import annotations

import base64
import binascii
import calendar
import re
from decimal import Decimal, InvalidOperation

from rdflib import XSD, Literal

TZ = r"(Z|[+-]((0\d|1[0-3]):[0-5]\d|14:00))?"
YEAR = r"-?([1-9]\d{3,}|0\d{3})"
MONTH, DAY = r"(0[1-9]|1[0-2])", r"(0[1-9]|[12]\d|3[01])"
TIME = r"(([01]\d|2[0-3]):[0-5]\d:[0-5]\d(\.\d+)?|24:00:00(\.0+)?)"
DECIMAL = r"[+-]?(\d+(\.\d*)?|\.\d+)"
INTEGER = r"[+-]?\d+"
DURATION = r"-?P(?!$)(\d+Y)?(\d+M)?(\d+D)?(T(?!$)(\d+H)?(\d+M)?(\d+(\.\d+)?S)?)?"
PATTERNS = {
    XSD.boolean: r"true|false|1|0",
    XSD.decimal: DECIMAL,
    XSD.double: rf"{DECIMAL}([Ee][+-]?\d+)?|[+-]?INF|NaN",
    XSD.float: rf"{DECIMAL}([Ee][+-]?\d+)?|[+-]?INF|NaN",
    XSD.gYear: YEAR + TZ,
    XSD.gYearMonth: rf"{YEAR}-{MONTH}{TZ}",
    XSD.gMonth: rf"--{MONTH}{TZ}",
    XSD.gDay: rf"---{DAY}{TZ}",
    XSD.gMonthDay: rf"--{MONTH}-{DAY}{TZ}",
    XSD.date: rf"{YEAR}-{MONTH}-{DAY}{TZ}",
    XSD.dateTime: rf"{YEAR}-{MONTH}-{DAY}T{TIME}{TZ}",
    XSD.dateTimeStamp: rf"{YEAR}-{MONTH}-{DAY}T{TIME}(Z|[+-]((0\d|1[0-3]):[0-5]\d|14:00))",
    XSD.time: TIME + TZ,
    XSD.duration: DURATION,
    XSD.dayTimeDuration: r"-?P(?!$)(\d+D)?(T(?!$)(\d+H)?(\d+M)?(\d+(\.\d+)?S)?)?",
    XSD.yearMonthDuration: r"-?P(?!$)(\d+Y)?(\d+M)?",
    XSD.hexBinary: r"([0-9a-fA-F]{2})*",
    XSD.language: r"[a-zA-Z]{1,8}(-[a-zA-Z0-9]{1,8})*",
    XSD.NCName: r"[^\W\d][\w.\-]*",
    XSD.Name: r"[^\W\d:][\w.\-:]*",
    XSD.NMTOKEN: r"[\w.\-:]+",
}
INTEGER_RANGES = {  # (lowest, highest); None: unbounded
    XSD.integer: (None, None), XSD.nonPositiveInteger: (None, 0), XSD.negativeInteger: (None, -1),
    XSD.nonNegativeInteger: (0, None), XSD.positiveInteger: (1, None),
    XSD.long: (-2**63, 2**63 - 1), XSD.int: (-2**31, 2**31 - 1), XSD.short: (-2**15, 2**15 - 1),
    XSD.byte: (-128, 127), XSD.unsignedLong: (0, 2**64 - 1), XSD.unsignedInt: (0, 2**32 - 1),
    XSD.unsignedShort: (0, 2**16 - 1), XSD.unsignedByte: (0, 255),
}
COMPILED = {datatype: re.compile(pattern) for datatype, pattern in PATTERNS.items()}
DAY_IN_MONTH = re.compile(r"(-?\d{4,})-(\d\d)-(\d\d)")


def lexical_problem(literal: Literal) -> str | None:
    """Why the literal's lexical form is not in its datatype's lexical space,
    or None (also for datatypes this does not know)."""
    datatype, text = literal.datatype, str(literal)
    if datatype is None:
        return None
    name = f"xsd:{datatype[len(str(XSD)):]}" if datatype.startswith(str(XSD)) else f"<{datatype}>"
    if datatype in INTEGER_RANGES:
        if not re.fullmatch(INTEGER, text):
            return f"not an integer ({name})"
        low, high = INTEGER_RANGES[datatype]
        if (low is not None and int(text) < low) or (high is not None and int(text) > high):
            return f"out of the range of {name}"
        return None
    if datatype in COMPILED:
        if not COMPILED[datatype].fullmatch(text):
            return f"not in the lexical space of {name}"
        return _calendar_problem(datatype, text, name)
    if datatype == XSD.base64Binary:
        try:
            base64.b64decode(text.replace(" ", ""), validate=True)
        except (binascii.Error, ValueError):
            return f"not in the lexical space of {name}"
    return None


def _calendar_problem(datatype, text: str, name: str) -> str | None:
    """A day the month does not have (30 February), in dates and date-times."""
    if datatype not in (XSD.date, XSD.dateTime, XSD.dateTimeStamp):
        return None
    year, month, day = (int(part) for part in DAY_IN_MONTH.match(text).groups())
    leap = calendar.isleap(year) if year > 0 else calendar.isleap(year + 1)  # year 0 is 1 BCE, a leap year
    days = calendar.mdays[month] + (1 if month == 2 and leap else 0)
    return f"day {day} is not in month {month} ({name})" if day > days else None


def canonical(literal: Literal) -> Literal:
    """A decimal or integer in its canonical lexical form (XML Schema 1.1)."""
    if literal.datatype not in (XSD.decimal, XSD.integer) or lexical_problem(literal):
        return literal
    try:
        value = Decimal(str(literal))
    except InvalidOperation:
        return literal
    text = "0" if value == 0 else format(value.normalize(), "f")
    return literal if text == str(literal) else Literal(text, datatype=literal.datatype)


def canonical_triples(graph) -> None:
    """Rewrite the graph's non-canonical literals in place."""
    changes = [(t, canonical(t[2])) for t in graph if type(t[2]) is Literal and t[2].datatype in (XSD.decimal, XSD.integer)]
    for (s, p, o), new in changes:
        if new is not o:
            graph.remove((s, p, o))
            graph.add((s, p, new))
