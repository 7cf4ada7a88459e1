"""The stress test of a proposition, counted from the claim table: for each
setting (in order of the worker's formal power) the distinct claims that
support, qualify and challenge it, directly or through its components, and
the same claims listed under the setting where each says the worker matters.

``basis="stated"`` keeps only the links the sources state themselves.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from urllib.parse import urlencode

from .claim_table import RELATIONS, ClaimRow, ClaimTable

NO_SETTING = "none"  # the slug a claim without a setting is filed under


@dataclass
class SettingRow:
    slug: str
    label: str
    power: int | None
    claims: list[ClaimRow] = field(default_factory=list)
    counts: dict[str, int] = field(default_factory=dict)
    hrefs: dict[str, str] = field(default_factory=dict)

    @property
    def total(self) -> int:
        return sum(self.counts.values())


@dataclass
class StressTest:
    prop: str
    basis: str | None
    settings: list[SettingRow]
    totals: dict[str, int]
    sources: list[tuple[str, str, int]]  # (slug, label, claims)


def stress_test(table: ClaimTable, prop: str, basis: str | None = None) -> StressTest:
    bearing = [row for row in table.rows.values() if row.bearing(prop=prop, basis=basis)]
    settings: dict[str, SettingRow] = {}
    for row in bearing:
        for slug in sorted(row.links.get("setting") or {NO_SETTING}):
            if slug not in settings:
                concept = table.concepts.get(("setting", slug))
                settings[slug] = SettingRow(slug, concept.label if concept else "No setting given",
                                            concept.power if concept else None)
            settings[slug].claims.append(row)
    ordered = sorted(settings.values(), key=_power_order)
    for setting in ordered:
        setting.claims.sort(key=lambda r: r.label)
        for relation in RELATIONS:
            setting.counts[relation] = sum(1 for r in setting.claims if r.bearing(relation, prop, basis))
            setting.hrefs[relation] = claims_link(relation, prop, setting.slug, basis)
    totals = {rel: sum(1 for r in bearing if r.bearing(rel, prop, basis)) for rel in RELATIONS}
    return StressTest(prop, basis, ordered, totals, _sources(bearing))


def _power_order(setting: SettingRow):
    return (setting.slug == NO_SETTING, setting.power is None, setting.power or 0, setting.label)


def _sources(rows: list[ClaimRow]) -> list[tuple[str, str, int]]:
    counts: dict[tuple[str, str], int] = {}
    for row in rows:
        for source in row.sources:
            counts[source] = counts.get(source, 0) + 1
    return sorted(((slug, label, n) for (slug, label), n in counts.items()), key=lambda s: -s[2])


def claims_link(relation: str, prop: str, setting: str, basis: str | None) -> str:
    params = {"proposition": prop, "relation": relation, "setting": setting}
    if basis:
        params["basis"] = basis
    return "/claims?" + urlencode(params)


def comparison(row: ClaimRow, table: ClaimTable) -> str | None:
    """'more in X than in Y' for a claim that compares settings (None otherwise)."""
    than = sorted(row.links.get("comparison", ()))
    for kind, words in COMPARED.items():
        where = sorted(row.links.get(kind, ()))
        if than and where:
            return f"{words} in {_names(table, where)} than in {_names(table, than)}"
    return None


COMPARED = {"more": "matters more", "less": "matters less", "no-more": "matters no more"}


def _names(table: ClaimTable, slugs) -> str:
    return " and ".join(table.label("setting", s) for s in slugs)
