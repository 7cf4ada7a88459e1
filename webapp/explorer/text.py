"""Excerpts in their source text: a window of context, and the whole text with every excerpt marked."""
from __future__ import annotations

import heapq

from markupsafe import Markup, escape

from kg.pipeline.sources import source_text

CONTEXT = 300


def in_context(file_name: str, start: int, end: int) -> Markup:
    """~300 characters either side of the excerpt, the excerpt in <mark>."""
    text = source_text(file_name)
    before = text[max(0, start - CONTEXT):start]
    after = text[end:end + CONTEXT]
    lead = "…" if start > CONTEXT else ""
    tail = "…" if end + CONTEXT < len(text) else ""
    return Markup(f"{lead}{escape(before)}<mark>{escape(text[start:end])}</mark>{escape(after)}{tail}")


def marked_source(file_name: str, spans: list[tuple[int, int]], refs: dict | None = None) -> Markup:
    """The whole text with each excerpt in a <mark id="char=START,END"> that
    holds exactly its quote, so the link's :target is the whole excerpt. An
    excerpt inside another nests in it; one that crosses the end of another
    is cut there and goes on in a second, unnamed mark. ``refs`` maps a span
    to the (href, label) of what it grounds: links to them follow the
    excerpt's (last) mark, so the way back to the claim is one keystroke away."""
    text, refs = source_text(file_name), refs or {}
    todo = [(s, -e, s) for s, e in sorted(set(spans)) if 0 <= s < e <= len(text)]  # (start, -end, excerpt's start)
    heapq.heapify(todo)
    out, open_marks, pos = [], [], 0  # open_marks: (end, the span whose links follow this mark, or None)
    while todo:
        start, neg_end, first = heapq.heappop(todo)
        end = -neg_end
        follow = (first, end)
        while open_marks and open_marks[-1][0] <= start:
            pos = _close(out, text, pos, *open_marks.pop(), refs)
        if open_marks and end > open_marks[-1][0]:  # crosses: the rest after the enclosing mark ends
            heapq.heappush(todo, (open_marks[-1][0], -end, first))
            end, follow = open_marks[-1][0], None
        out.append(str(escape(text[pos:start])))
        out.append(f'<mark id="char={start},{-neg_end}">' if start == first else "<mark>")
        open_marks.append((end, follow))
        pos = start
    while open_marks:
        pos = _close(out, text, pos, *open_marks.pop(), refs)
    out.append(str(escape(text[pos:])))
    return Markup("".join(out))


def _close(out: list, text: str, pos: int, end: int, span, refs: dict) -> int:
    out.append(f"{escape(text[pos:end])}</mark>")
    if span is not None and refs.get(span):
        out.append(ref_links(refs[span]))
    return end


def ref_links(targets: list[tuple[str, str]]) -> str:
    """The claims (or works) an excerpt grounds, as small links whose accessible
    name and title is the full label. Their visible word comes from CSS, so a
    mark's text stays exactly its quote even when another excerpt holding
    this one encloses these links."""
    return '<span class="refs">' + "".join(
        f'<a href="{escape(href)}" class="to-{escape(kind_of(href))}" title="{escape(label)}" '
        f'aria-label="{escape(kind_of(href))}: {escape(label)}"></a>' for href, label in targets) + "</span>"


def kind_of(href: str) -> str:
    return href.strip("/").split("/", 1)[0]
