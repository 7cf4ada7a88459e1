"""The stress test (stress.StressTest) as a bar chart in SVG, drawn on the
server: one bar per setting in order of formal power, a segment for the
claims that support, qualify and challenge the rule, each segment a link to
that filtered claims list. Two layouts of the same chart: ``wide`` puts the
setting's name beside its bar, ``narrow`` (a phone) above it, so that the
text stays legible at either width; the page's CSS shows one of them.
Presentation attributes only (the site's Content-Security-Policy)."""
from __future__ import annotations

from markupsafe import Markup, escape

from .chain_svg import wrap
from .claim_table import RELATIONS
from .stress import StressTest

COLOURS = {"supports": "#1b6e20", "qualifies": "#7a5b00", "challenges": "#a11111"}
WORDS = {"supports": "support", "qualifies": "qualify", "challenges": "challenge"}
# layout: total width, x of the bars, label characters per line, label lines, row height, bar top in row
LAYOUTS = {"wide": (780, 340, 46, 2, 40, 6), "narrow": (360, 30, 48, 3, 62, 32)}
BAR = 24
TOP = 44


def render(test: StressTest, layout: str) -> Markup:
    width, bar_x, chars, lines, row_h, bar_top = LAYOUTS[layout]
    span = width - bar_x - 44
    most = max([s.total for s in test.settings] + [1])
    parts, y = [_legend(width)], TOP
    for setting in test.settings:
        label, used = _label(setting, y, chars, lines, layout)
        parts.append(label)
        if layout == "narrow":  # the bar just under its label
            bar_top, row_h = used * 15 + 4, used * 15 + 4 + BAR + 12
        parts.append(_power(setting, bar_x, y + bar_top))
        parts.append(_bar(setting, bar_x, y + bar_top, span / most))
        y += row_h
    height = y + 6
    return Markup(
        f'<svg xmlns="http://www.w3.org/2000/svg" class="stress stress-{layout}" width="{width}" height="{height}" '
        f'viewBox="0 0 {width} {height}" aria-labelledby="stress-{layout}-title" font-family="system-ui, sans-serif">'
        f'<title id="stress-{layout}-title">{escape(_title(test))}</title>{"".join(parts)}</svg>')


def _title(test: StressTest) -> str:
    which = "links the sources state" if test.basis == "stated" else "all links"
    return (f"Claims by setting, in order of formal power ({which}): "
            + ", ".join(f"{test.totals[r]} {WORDS[r]}" for r in RELATIONS))


def _label(setting, y: int, chars: int, lines: int, layout: str) -> tuple[str, int]:
    text = wrap(setting.label, chars, lines)
    first = y + (13 if layout == "narrow" else 16 - (len(text) - 1) * 7 + 6)
    spans = "".join(f'<tspan x="4" y="{first + i * 15}">{escape(t)}</tspan>' for i, t in enumerate(text))
    return f'<text font-size="13" fill="#1f2933">{spans}</text>', len(text)


def _power(setting, bar_x: int, y: float) -> str:
    """The setting's formal power, in the column left of its bar."""
    value = "–" if setting.power is None else str(setting.power)
    return (f'<text x="{bar_x - 8}" y="{y + 17}" font-size="14" font-weight="bold" fill="#243b53" '
            f'text-anchor="end" aria-label="formal power {value}">{value}</text>')


def _bar(setting, x: float, y: float, scale: float) -> str:
    out = []
    for relation in RELATIONS:
        n = setting.counts.get(relation, 0)
        if not n:
            continue
        w = max(n * scale, 3)
        name = f"{setting.label}: {n} {'claim ' + relation if n == 1 else 'claims ' + WORDS[relation]}"
        count = (f'<text x="{x + w / 2:.1f}" y="{y + 16}" font-size="12" fill="#ffffff" '
                 f'text-anchor="middle">{n}</text>') if w >= 18 else ""
        out.append(f'<a href="{escape(setting.hrefs[relation])}" class="segment {relation}" aria-label="{escape(name)}">'
                   f'<title>{escape(name)}</title><rect x="{x:.1f}" y="{y}" width="{w:.1f}" height="{BAR}" '
                   f'fill="{COLOURS[relation]}"/>{count}</a>')
        x += w
    out.append(f'<text x="{x + 5:.1f}" y="{y + 16}" font-size="12" fill="#52606d">{setting.total}</text>')
    return "".join(out)


def _legend(width: int) -> str:
    out, x = [], 4
    for relation in RELATIONS:
        out.append(f'<rect x="{x}" y="6" width="12" height="12" fill="{COLOURS[relation]}"/>'
                   f'<text x="{x + 16}" y="17" font-size="12" fill="#1f2933">{WORDS[relation]}</text>')
        x += 90
    out.append('<text x="4" y="35" font-size="12" fill="#1f2933"><tspan font-weight="bold">0–3</tspan>: '
               'the worker’s formal power over the client</text>')
    return "".join(out)
