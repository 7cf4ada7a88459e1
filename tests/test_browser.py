"""A reviewer's journey in a real headless browser (Debian's chromium driven by
Playwright) against the real `kg serve`: home → proposition → claim → excerpt
highlighted in its source, then the gap map and a "why?" page. Each page is
saved as a screenshot in build/screenshots/ to be looked at."""
from __future__ import annotations

import re
from pathlib import Path

import pytest

CHROMIUM = Path("/usr/bin/chromium")
SHOTS = Path(__file__).resolve().parent.parent / "build" / "screenshots"
ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
        "--disable-background-networking", "--disable-component-update", "--disable-sync"]
CENTRAL = "trickier-situation-worker-matters"
CLAIM = "b5-therapist-relationship-completion-criminal-justice"


@pytest.fixture(scope="module")
def browser():
    if not CHROMIUM.exists():
        pytest.fail(f"{CHROMIUM} is missing: install Debian's chromium (apt-get install -y chromium); "
                    ".ci/run does this on CI", pytrace=False)
    from playwright.sync_api import sync_playwright
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=str(CHROMIUM), args=ARGS)
        yield browser
        browser.close()


@pytest.fixture()
def page(browser, live_server):
    SHOTS.mkdir(parents=True, exist_ok=True)
    context = browser.new_context(viewport={"width": 1280, "height": 900}, base_url=live_server)
    page = context.new_page()
    outside = []
    page.on("request", lambda r: outside.append(r.url) if not r.url.startswith(live_server) else None)
    yield page
    context.close()
    assert not outside, f"pages loaded something from another host: {outside}"


def shot(page, name: str) -> None:
    page.screenshot(path=str(SHOTS / f"{name}.png"), full_page=False)


def test_home_to_proposition_to_claim_to_the_excerpt_highlighted_in_its_source(page):
    page.goto("/")
    assert "The trickier the situation" in page.locator("h1").inner_text()
    shot(page, "1-home")
    page.click(f'main a[href="/proposition/{CENTRAL}"]')
    page.wait_for_url(f"**/proposition/{CENTRAL}")
    assert page.locator("svg.chain").is_visible()
    shot(page, "2-proposition")
    page.click(f'#evidence a[href="/claim/{CLAIM}"]')
    page.wait_for_url(f"**/claim/{CLAIM}")
    quote = page.locator("blockquote.context mark").first.inner_text()
    shot(page, "3-claim")
    page.locator("figcaption a").first.click()
    page.wait_for_url(re.compile(r"/source/[a-z0-9-]+#char=\d+,\d+$"))
    target = page.locator("mark:target")
    assert target.count() == 1, "the excerpt's mark is the :target of the link"
    assert target.inner_text() == quote
    assert target.evaluate("e => e.id") == page.url.split("#", 1)[1]
    assert target.evaluate("e => getComputedStyle(e).backgroundColor") == "rgb(255, 179, 71)"
    box = target.bounding_box()
    assert box is not None and 0 <= box["y"] < 900, "the highlighted quote is scrolled into view"
    shot(page, "4-source-highlighted")


def test_gap_map_opens_from_the_menu_and_links_its_cells_to_claims(page):
    page.goto("/")
    page.click('header a[href="/gaps"]')
    page.wait_for_url("**/gaps")
    assert page.locator("td.gap").count() > 0
    cell = page.locator('td a[href^="/claims?"]').first
    shot(page, "5-gap-map")
    cell.click()
    page.wait_for_url("**/claims?**")
    assert page.locator('main a[href^="/claim/"]').count() > 0


def test_why_link_of_a_claim_shows_the_derivation(page):
    page.goto(f"/claim/{CLAIM}")
    page.locator('a:has-text("why?")').first.click()
    page.wait_for_url("**/why?**")
    text = page.locator("main").inner_text()
    assert "asserted" in text.lower() or "rule" in text.lower()
    shot(page, "6-why")


def test_chain_diagram_nodes_are_links_that_lead_to_the_claim(page):
    page.goto(f"/proposition/{CENTRAL}")
    node = page.locator(f'svg.chain a[href="/claim/{CLAIM}"]')
    node.scroll_into_view_if_needed()
    shot(page, "7-chain")
    node.click()
    page.wait_for_url(f"**/claim/{CLAIM}")
    assert CLAIM in page.url
