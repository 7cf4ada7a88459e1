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
