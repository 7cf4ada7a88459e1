"""How deeply brackets nest in SPARQL or Turtle text, counted by one flat,
linear scan before any recursive parser sees the text (a parser that
recurses once per bracket can be made to overflow its stack). Brackets
inside strings, IRIs and comments do not count."""
from __future__ import annotations

import re
from itertools import accumulate

INTERESTING = re.compile(r"""["'#<{}()\[\]]""")
IRI = re.compile(r'<[^<>"{}|^`\\\s]*>')
# What the scan below skips, as one pattern for re.sub: strings (triple-quoted
# ones up to their close or the end of the text, the others up to their close
# or the end of the line; a backslash takes the next character along),
# comments, IRIs. Left over, after the rest is dropped: the brackets that count.
SKIPPED = re.compile(r'''
    """ (?: [^"\\] | \\. | \\\Z | "(?!"") )* (?: """ | \Z )
  | \'\'\' (?: [^'\\] | \\. | \\\Z | '(?!'') )* (?: \'\'\' | \Z )
  | " (?: [^"\\\n] | \\. | \\\Z )* (?: " | \n | \Z )
  | ' (?: [^'\\\n] | \\. | \\\Z )* (?: ' | \n | \Z )
  | \# [^\n]*
  | < [^<>"{}|^`\\\s]* >
''', re.VERBOSE | re.DOTALL)
NOT_BRACKET = re.compile(r"[^{}()\[\]]+")
STEP = {"{": 1, "(": 1, "[": 1, "}": -1, ")": -1, "]": -1}


def too_deep(text: str, limit: int) -> int | None:
    """The offset of the first bracket nested deeper than ``limit``, or None."""
    if _deepest(text) <= limit:
        return None
    return _first_too_deep(text, limit)


def _deepest(text: str) -> int:
    """How deep the brackets nest, by the scan's rules, in two passes of the
    regular expression engine (the scan looks at each string, IRI and
    comment from Python: seconds for a large data file)."""
    brackets = NOT_BRACKET.sub("", SKIPPED.sub("", text))
    return max(accumulate(map(STEP.__getitem__, brackets)), default=0)


def _first_too_deep(text: str, limit: int) -> int | None:
    depth, at = 0, 0
    while (match := INTERESTING.search(text, at)) is not None:
        at, char = match.start(), match.group()
        if char in "\"'":
            at = _after_string(text, at)
            continue
        if char == "#":
            at = _after_line(text, at)
            continue
        if char == "<":
            iri = IRI.match(text, at)
            at = iri.end() if iri else at + 1
            continue
        depth += 1 if char in "{([" else -1
        if depth > limit:
            return at
        at += 1
    return None


def _after_line(text: str, at: int) -> int:
    end = text.find("\n", at)
    return len(text) if end < 0 else end + 1


def _after_string(text: str, at: int) -> int:
    """Just past the string opening at ``at`` (the end of the text or line if
    it never closes: each character is looked at once)."""
    quote = text[at] * 3 if text.startswith(text[at] * 3, at) else text[at]
    i = at + len(quote)
    while i < len(text):
        if text[i] == "\\":
            i += 2
        elif text.startswith(quote, i):
            return i + len(quote)
        elif text[i] == "\n" and len(quote) == 1:
            return i + 1
        else:
            i += 1
    return len(text)
