"""The evidence chain (chain.Chain) drawn as SVG, on the server: five columns
(proposition, components, claims, works, excerpts), every node a link, every
label escaped. Presentation attributes only, so the same markup works inline
under the site's Content-Security-Policy and as a standalone image."""
from __future__ import annotations

from urllib.parse import urlencode

from markupsafe import Markup, escape

from .chain import Chain, ClaimNode, Group

ID = "https://w3id.org/practitioner-evidence/id/"
ROW = 40          # height of one row (a claim with one excerpt)
BOX = 34          # height of a one-row node
TOP = 46          # room for the column headings
MAX_EXCERPTS = 2  # excerpts drawn per claim; the rest are counted
# column: (x, width, characters per line)
COLUMNS = {"proposition": (6, 150, 22), "component": (170, 172, 26), "claim": (362, 290, 46),
           "work": (672, 186, 29), "excerpt": (878, 196, 30)}
WIDTH = 1080
HEADINGS = (("proposition", "Proposition"), ("component", "Components"), ("claim", "Claims"),
            ("work", "Stated in"), ("excerpt", "Excerpts in their source"))
COLOURS = {"supports": "#1b6e20", "challenges": "#a11111", "qualifies": "#8a6700"}
FILLS = {"proposition": "#dbe7f3", "component": "#e8eff7", "claim": "#ffffff", "work": "#f3efe6",
         "excerpt": "#fff6cc", "more": "#f2f2f2"}


def page(iri: str) -> str:
    """The explorer page of an id/ IRI (works and sources have their own kinds)."""
    kind, _, slug = iri[len(ID):].partition("/") if iri.startswith(ID) else ("", "", "")
    return f"/{kind}/{slug}" if kind else iri


def wrap(text: str, width: int, lines: int) -> list[str]:
    """At most `lines` lines of at most `width` characters, an ellipsis if cut."""
    words, out, line = " ".join(text.split()).split(" "), [], ""
    for word in words:
        if line and len(line) + 1 + len(word) > width:
            out.append(line)
            line = word
        else:
            line = f"{line} {word}" if line else word
    out.append(line)
    if len(out) > lines:
        out = out[:lines]
        out[-1] = out[-1][:width - 1].rstrip() + "…"
    return [part if len(part) <= width else part[:width - 1] + "…" for part in out]


def node(column: str, y: float, height: float, label: str, href: str, title: str,
         stroke: str = "#6b7c93", fill_key: str | None = None) -> str:
    """A linked box with a wrapped label and a tooltip of the full text."""
    x, w, chars = COLUMNS[column]
    lines = wrap(label, chars, max(1, int((height - 6) // 13)))
    first = y + height / 2 - (len(lines) - 1) * 6.5 + 4
    spans = "".join(f'<tspan x="{x + 6}" y="{first + i * 13:.1f}">{escape(t)}</tspan>' for i, t in enumerate(lines))
    return (f'<a href="{escape(href)}" class="chain-{column}"><title>{escape(title)}</title>'
            f'<rect x="{x}" y="{y:.1f}" width="{w}" height="{height:.1f}" rx="4" fill="{FILLS[fill_key or column]}" '
            f'stroke="{stroke}" stroke-width="{2 if column == "claim" else 1}"/>'
            f'<text font-size="11" fill="#1f2933">{spans}</text></a>')


def edge(left: str, y1: float, right: str, y2: float, colour: str = "#9aa5b1") -> str:
    x1 = COLUMNS[left][0] + COLUMNS[left][1]
    x2 = COLUMNS[right][0]
    mid = (x1 + x2) / 2
    return (f'<path d="M{x1},{y1:.1f} C{mid},{y1:.1f} {mid},{y2:.1f} {x2},{y2:.1f}" '
            f'fill="none" stroke="{colour}" stroke-width="1.3"/>')


def rows_of(claim: ClaimNode) -> int:
    shown = min(len(claim.excerpts), MAX_EXCERPTS)
    return max(1, shown + (1 if len(claim.excerpts) > MAX_EXCERPTS else 0))


class Canvas:
    """Edges under nodes: two lists joined in that order."""

    def __init__(self):
        self.edges: list[str] = []
        self.nodes: list[str] = []

    def svg(self) -> str:
        return "".join(self.edges + self.nodes)


def group_rows(group: Group) -> int:
    return sum(rows_of(c) for c in group.claims) + (1 if group.more else 0)


def render(chain: Chain, more_href) -> Markup:
    """The whole diagram; more_href(group) is where "+N more" of a group leads."""
    height = TOP + sum(group_rows(g) * ROW + ROW / 2 for g in chain.groups)
    box = min(max(BOX, height - TOP - ROW / 2 - (ROW - BOX)), 8 * 13 + 10)
    canvas, y = Canvas(), TOP
    canvas.nodes.append(node("proposition", TOP + (ROW - BOX) / 2, box, chain.label, page(chain.iri), chain.label))
    root_mid = TOP + (ROW - BOX) / 2 + box / 2
    for group in chain.groups:
        y = draw_group(canvas, chain, group, y, root_mid, more_href) + ROW / 2
    return Markup(
        f'<svg xmlns="http://www.w3.org/2000/svg" class="chain" width="{WIDTH}" height="{height:.0f}" '
        f'viewBox="0 0 {WIDTH} {height:.0f}" role="group" aria-labelledby="chain-title" '
        f'font-family="system-ui, sans-serif"><title id="chain-title">Evidence chain of {escape(chain.label)}</title>'
        f'{_headings()}{_legend()}{canvas.svg()}</svg>')


def draw_group(canvas: Canvas, chain: Chain, group: Group, y: float, root_mid: float, more_href) -> float:
    """A component and its claims, works and excerpts, from height y down; returns the new y."""
    top, claim_ys = y, []
    for claim in group.claims:
        claim_ys.append(y)
        y = draw_claim(canvas, claim, y)
    if group.more:
        canvas.nodes.append(node("claim", y + 3, BOX - 6, f"+{group.more} more claims", more_href(group),
                                 f"{group.more} more claims on {group.label}", fill_key="more"))
        claim_ys.append(y)
        y += ROW
    direct = group.iri == chain.iri
    source, source_mid = ("proposition", root_mid) if direct else ("component", (top + y) / 2)
    if not direct:
        canvas.nodes.append(node("component", top + (ROW - BOX) / 2, y - top - (ROW - BOX), group.label,
                                 page(group.iri), group.label))
        canvas.edges.append(edge("proposition", root_mid, "component", source_mid))
    for claim, cy in zip(group.claims + ([None] if group.more else []), claim_ys):
        colour = COLOURS.get(claim.relation, "#9aa5b1") if claim else "#9aa5b1"
        canvas.edges.append(edge(source, source_mid, "claim", cy + ROW / 2, colour))
    _draw_works(canvas, group, claim_ys)
    return y


def draw_claim(canvas: Canvas, claim: ClaimNode, y: float) -> float:
    rows = rows_of(claim)
    canvas.nodes.append(node("claim", y + (ROW - BOX) / 2, BOX + (rows - 1) * ROW, claim.label, page(claim.iri),
                             f"{claim.relation}: {claim.label}", stroke=COLOURS.get(claim.relation, "#6b7c93")))
    start = "work" if claim.work else "claim"
    for i, ex in enumerate(claim.excerpts[:MAX_EXCERPTS]):
        ey = y + i * ROW
        slug = ex.source.rsplit("/", 1)[-1]
        canvas.nodes.append(node("excerpt", ey + (ROW - BOX) / 2, BOX, f"{slug}: “{ex.exact}”",
                                 f"/source/{slug}#char={ex.start},{ex.end}",
                                 f"{slug}, characters {ex.start}–{ex.end}: “{ex.exact}”"))
        canvas.edges.append(edge(start, ey + ROW / 2, "excerpt", ey + ROW / 2))
    if len(claim.excerpts) > MAX_EXCERPTS:
        extra = len(claim.excerpts) - MAX_EXCERPTS
        canvas.nodes.append(node("excerpt", y + MAX_EXCERPTS * ROW + 7, BOX - 8, f"+{extra} more excerpts",
                                 page(claim.iri), f"{extra} more excerpts: see the claim", fill_key="more"))
    return y + rows * ROW


def _draw_works(canvas: Canvas, group: Group, claim_ys: list) -> None:
    """One work node per run of consecutive claims stated in the same work."""
    runs: list[list] = []
    for claim, cy in zip(group.claims, claim_ys):
        if claim.work is None:
            continue
        bottom = cy + rows_of(claim) * ROW
        if runs and runs[-1][0] == claim.work and runs[-1][2] == cy:
            runs[-1][2] = bottom
            runs[-1][3].append(cy)
        else:
            runs.append([claim.work, cy, bottom, [cy]])
    for (iri, label), top, bottom, ys in runs:
        canvas.nodes.append(node("work", top + (ROW - BOX) / 2, bottom - top - (ROW - BOX), label, page(iri), label))
        canvas.edges.extend(edge("claim", cy + ROW / 2, "work", cy + ROW / 2) for cy in ys)


def _headings() -> str:
    return "".join(f'<text x="{COLUMNS[c][0]}" y="16" font-size="12" font-weight="bold" fill="#243b53">'
                   f"{escape(text)}</text>" for c, text in HEADINGS)


def _legend() -> str:
    out, x = [], COLUMNS["claim"][0]
    for relation, colour in COLOURS.items():
        out.append(f'<rect x="{x}" y="24" width="12" height="8" fill="none" stroke="{colour}" stroke-width="2"/>'
                   f'<text x="{x + 16}" y="32" font-size="10" fill="{colour}">{relation}</text>')
        x += 90
    return "".join(out)


def more_link(group: Group) -> str:
    return "/claims?" + urlencode({"proposition": group.iri})
