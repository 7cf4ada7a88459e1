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


def marked_source(file_name: str, spans: list[tuple[int, int]]) -> Markup:
    """The whole text with each excerpt in a <mark id="char=START,END"> that
    holds exactly its quote, so the link's :target is the whole excerpt. An
    excerpt inside another nests in it; one that crosses the end of another
    is cut there and goes on in a second, unnamed mark."""
    text = source_text(file_name)
    todo = [(s, -e, True) for s, e in sorted(set(spans)) if 0 <= s < e <= len(text)]
    heapq.heapify(todo)
    out, open_ends, pos = [], [], 0
    while todo:
        start, neg_end, named = heapq.heappop(todo)
        end = -neg_end
        while open_ends and open_ends[-1] <= start:
            pos = _close(out, text, pos, open_ends.pop())
        if open_ends and end > open_ends[-1]:  # crosses: the rest after the enclosing mark ends
            heapq.heappush(todo, (open_ends[-1], -end, False))
            end = open_ends[-1]
        out.append(str(escape(text[pos:start])))
        out.append(f'<mark id="char={start},{-neg_end}">' if named else "<mark>")
        open_ends.append(end)
        pos = start
    while open_ends:
        pos = _close(out, text, pos, open_ends.pop())
    out.append(str(escape(text[pos:])))
    return Markup("".join(out))


def _close(out: list, text: str, pos: int, end: int) -> int:
    out.append(f"{escape(text[pos:end])}</mark>")
    return end
