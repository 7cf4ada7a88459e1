"""Quotes into excerpts, and excerpts checked against their source.

An excerpt is a quote at character offsets (Unicode code points, end
exclusive), with the text just before and after it (``pe:prefix``,
``pe:suffix``) as Web Annotation's TextQuoteSelector keeps them. A quote
that is not in the text gets the nearest passages, found again after
folding typographic quotes and dashes, runs of whitespace and case; one that
occurs more than once gets its occurrences, and the caller picks one.
"""
from __future__ import annotations

import difflib
import json
import re
from dataclasses import dataclass
from pathlib import Path

from kg.errors import KgError
from kg.pipeline.lines import in_order, short, where
from kg.pipeline.sources import PE, Source, source_text

# ex:{prefix}-{start}-{end}, with an optional tail that tells apart two excerpts of
# the same span (bench/generate.py's -copyK)
EXCERPT_NAME = re.compile(r"^(?P<prefix>[a-z0-9]+)-(?P<start>\d+)-(?P<end>\d+)(?P<tail>-[\w.-]+)?$")
CONTEXT = 32  # characters of pe:prefix / pe:suffix, as annotation tools keep
FOLD = {**{c: "'" for c in "‘’‚‛′`´"}, **{c: '"' for c in "“”„‟″«»"},
        **{c: "-" for c in "‐‑‒–—―−"}, "…": "...", "\u00a0": " "}


@dataclass(frozen=True)
class Excerpt:
    source: Source
    start: int
    end: int

    @property
    def exact(self) -> str:
        return source_text(self.source.file_name)[self.start:self.end]

    @property
    def prefix(self) -> str:
        return source_text(self.source.file_name)[max(0, self.start - CONTEXT):self.start]

    @property
    def suffix(self) -> str:
        return source_text(self.source.file_name)[self.end:self.end + CONTEXT]

    @property
    def name(self) -> str:
        return f"ex:{self.source.prefix}-{self.start}-{self.end}"

    def turtle(self) -> str:
        """The node as the data files lay it out (pe:prefix and pe:suffix on
        one line before pe:exact, as `kg excerpt --add-context` adds them)."""
        context = " ; ".join(f"pe:{p} {literal(v)}" for p, v in (("prefix", self.prefix), ("suffix", self.suffix)) if v)
        parts = [f"pe:inSource src:{self.source.slug}", f"pe:start {self.start} ; pe:end {self.end}",
                 *([context] if context else []), f"pe:exact {literal(self.exact)}"]
        return f"{self.name} a pe:Excerpt ;\n    " + " ;\n    ".join(parts) + " .\n"


def literal(text: str) -> str:
    """A Turtle string (JSON's escapes are Turtle's)."""
    return json.dumps(text, ensure_ascii=False)


class NotPlaced(Exception):
    """A quote or span that gives no excerpt; ``lines`` say why and what is near."""

    def __init__(self, lines: list[str]):
        self.lines = lines
        super().__init__("\n".join(lines))


def occurrences(text: str, quote: str) -> list[int]:
    found, at = [], text.find(quote)
    while at >= 0 and quote:
        found.append(at)
        at = text.find(quote, at + 1)
    return found


def find(source: Source, quote: str, occurrence: int | None = None) -> Excerpt:
    """The excerpt for a quote; NotPlaced with the nearest passages or the
    occurrences to choose from."""
    text = source_text(source.file_name)
    starts = occurrences(text, quote)
    if len(starts) == 1 and occurrence in (None, 1):
        return Excerpt(source, starts[0], starts[0] + len(quote))
    if starts and occurrence is not None and 1 <= occurrence <= len(starts):
        return Excerpt(source, starts[occurrence - 1], starts[occurrence - 1] + len(quote))
    if starts:
        head = (f"occurs {len(starts)} times in {source.slug}; choose one with --occurrence N"
                if occurrence is None else
                f"occurs {len(starts)} time{'s' * (len(starts) > 1)}, so --occurrence {occurrence} is out of range")
        return _raise([f"{_shown(quote)} {head}:"] + [
            f"  {n}: {s}..{s + len(quote)}  …{_one_line(text[max(0, s - 30):s])}[{_one_line(quote[:40])}]"
            f"{_one_line(text[s + len(quote):s + len(quote) + 30])}…" for n, s in enumerate(starts, 1)])
    near = nearest(text, quote)
    lines = [f"{_shown(quote)} is not in {source.slug} (sources/{source.file_name}); copy it from the text, "
             "never retype it"]
    if near:
        lines.append(f"  nearest passages (offsets in characters); take one with `kg excerpt {source.slug} --at START:END`:")
        lines += [f"  --at {s}:{e}  {why}: {_shown(text[s:e], 200)}" for s, e, why in near]
    return _raise(lines)


def _raise(lines):
    raise NotPlaced(lines)


def _shown(text: str, width: int = 70) -> str:
    return literal(text if len(text) <= width else text[:width - 1] + "…")


def _one_line(text: str) -> str:
    return " ".join(text.split()) if text.strip() else text.replace("\n", " ")


def at(source: Source, start: int, end: int) -> Excerpt:
    text = source_text(source.file_name)
    if not 0 <= start < end <= len(text):
        raise NotPlaced([f"--at {start}:{end} is not a span of {source.slug}, which has {len(text)} characters"])
    return Excerpt(source, start, end)


# ---------------------------------------------------------------- the nearest passages

def fold(text: str) -> tuple[str, list[int]]:
    """The text with quotes, dashes, whitespace runs and case folded, and for
    each folded character the offset of the character it came from."""
    out, index = [], []
    for offset, char in enumerate(text):
        if char.isspace():
            if out and out[-1] == " ":
                continue
            folded = " "
        else:
            folded = FOLD.get(char, char).lower()
        out.extend(folded)
        index.extend([offset] * len(folded))
    return "".join(out), index


def nearest(text: str, quote: str, limit: int = 3) -> list[tuple[int, int, str]]:
    """Up to ``limit`` passages like the quote: first those equal to it once
    folded, else the most similar windows around its rarer words."""
    folded, index = fold(text)
    wanted = fold(quote)[0].strip()
    if not wanted:
        return []
    same = [(index[s], index[s + len(wanted) - 1] + 1, "differs only in quotes, dashes, whitespace or case")
            for s in occurrences(folded, wanted)]
    if same:
        return same[:limit]
    return _similar(folded, index, wanted, limit)


def _similar(folded: str, index: list[int], wanted: str, limit: int) -> list[tuple[int, int, str]]:
    words = sorted({w for w in re.findall(r"\w{4,}", wanted)}, key=len, reverse=True)[:4]
    scored = []
    for word in words:
        offset = wanted.find(word)
        for hit in occurrences(folded, word)[:200]:
            start = max(0, hit - offset)
            window = folded[start:start + len(wanted)]
            matcher = difflib.SequenceMatcher(None, wanted, window, autojunk=False)
            if matcher.quick_ratio() > 0.6:
                scored.append((matcher.ratio(), start))
    chosen: list[tuple[int, int, str]] = []
    for ratio, start in sorted(scored, reverse=True):
        s, e = index[start], index[min(start + len(wanted), len(index)) - 1] + 1
        if ratio > 0.6 and not any(s < b and a < e for a, b, _ in chosen):
            chosen.append((s, e, f"{round(ratio * 100)}% alike"))
        if len(chosen) == limit:
            break
    return chosen


# ---------------------------------------------------------------- checking excerpts in the data

def excerpt_problems(union, dataset, by_graph, sources: list[Source]) -> list[str]:
    """Every excerpt whose text is not at its offsets (or whose pe:prefix /
    pe:suffix is not around it), saying where the quote is now."""
    by_iri = {s.iri: s for s in sources}
    lines = []
    for excerpt in in_order(set(union.subjects(PE.exact, None))):
        exact, start, end, src = (union.value(excerpt, p) for p in (PE.exact, PE.start, PE.end, PE.inSource))
        source = by_iri.get(src)
        if None in (exact, start, end, source) or not source.file_name:
            continue  # the shapes and the register report what is missing
        try:
            problem = offset_problem(source, str(exact), int(start), int(end),
                                     union.value(excerpt, PE.prefix), union.value(excerpt, PE.suffix))
        except OSError:
            continue  # the register reports a missing file
        except ValueError:
            continue  # an ill-typed offset: the loader and the shapes report it
        if problem:
            lines.append(f"{where(excerpt, dataset, by_graph)}: {short(excerpt)}: {problem}")
    return lines


def offset_problem(source: Source, exact: str, start: int, end: int, prefix=None, suffix=None) -> str | None:
    text = source_text(source.file_name)
    if text[start:end] == exact:
        # endswith/startswith with bounds: slicing the text would copy it for every excerpt
        if prefix is not None and not text.endswith(str(prefix), 0, start):
            return f"its pe:prefix is not the text just before {start}; `kg excerpt {source.slug} --at {start}:{end}` prints it"
        if suffix is not None and not text.startswith(str(suffix), end):
            return f"its pe:suffix is not the text just after {end}; `kg excerpt {source.slug} --at {start}:{end}` prints it"
        return None
    head = (f"the text at characters {start}..{end} of sources/{source.file_name} ({source.slug}) is not its pe:exact")
    if text.encode("utf-8")[start:end].decode("utf-8", "replace") == exact:
        where = _where_now(text, exact).replace(" (offsets count characters, not bytes)", "")
        return f"{head}: these offsets count bytes; offsets count characters (Unicode code points){where}"
    return head + _where_now(text, exact) + f"; if the source text was corrected, run `kg excerpt --reanchor {source.slug}`"


def _where_now(text: str, exact: str) -> str:
    starts = occurrences(text, exact)
    if starts:
        spans = ", ".join(f"{s}..{s + len(exact)}" for s in starts[:5])
        return f"; the quote is at {spans} (offsets count characters, not bytes)"
    near = nearest(text, exact, 1)
    if near:
        s, e, why = near[0]
        return f"; the quote is not in the text, the nearest passage is {s}..{e} ({why})"
    return "; the quote is nowhere in the text"


def collect(source: Source, quotes: list[str], spans: list[str], occurrence: int | None) -> tuple[list[Excerpt], list[str]]:
    """The excerpts for quotes and START:END spans, and what went wrong with
    the others (a quote's problem may take several lines)."""
    found, problems = [], []
    for n, quote in enumerate(quotes, 1):
        try:
            found.append(find(source, quote, occurrence))
        except NotPlaced as err:
            problems += [f"quote {n}: {err.lines[0]}", *err.lines[1:]]
    for span in spans:
        try:
            start, end = (int(part) for part in span.split(":"))
        except ValueError:
            problems.append(f"--at {span}: expected START:END, two character offsets")
            continue
        try:
            found.append(at(source, start, end))
        except NotPlaced as err:
            problems += err.lines
    return found, problems


def read_quotes(path: str) -> list[str]:
    """One quote a line; blank lines skipped ('-' reads standard input)."""
    import sys
    try:
        text = sys.stdin.read() if path == "-" else Path(path).read_text(encoding="utf-8")
    except UnicodeDecodeError:
        raise KgError(f"{path}: not UTF-8 text; save the quotes as UTF-8") from None
    return [line.strip("\r") for line in text.split("\n") if line.strip()]
