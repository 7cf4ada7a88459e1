"""Excerpts in their source text: a window of context, and the whole text with every excerpt marked."""
from __future__ import annotations

from markupsafe import Markup, escape

from kg.sources import source_text

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
    """The whole text; covered stretches in <mark>, each excerpt's start carrying
    id="char=START,END" (excerpts may overlap, so the text is cut at every boundary)."""
    text = source_text(file_name)
    starts: dict[int, list[tuple[int, int]]] = {}
    for start, end in sorted(set(spans)):
        starts.setdefault(start, []).append((start, end))
    cuts = sorted({0, len(text)} | {b for span in spans for b in span if 0 <= b <= len(text)})
    out = []
    for left, right in zip(cuts, cuts[1:]):
        ids = [f"char={s},{e}" for s, e in starts.get(left, [])]
        covered = any(s <= left and right <= e for s, e in spans)
        for extra in ids[1:]:
            out.append(f'<mark id="{extra}"></mark>')
        chunk = escape(text[left:right])
        if covered:
            ident = f' id="{ids[0]}"' if ids else ""
            out.append(f"<mark{ident}>{chunk}</mark>")
        else:
            out.append(str(chunk))
    return Markup("".join(out))
