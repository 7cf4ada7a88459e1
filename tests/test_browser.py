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
    node = page.locator('svg.chain a[href^="/claim/"]').first  # whichever claims the data puts first
    target = node.get_attribute("href")
    node.scroll_into_view_if_needed()
    shot(page, "7-chain")
    node.click()
    page.wait_for_url(f"**{target}")
    assert page.url.endswith(target)


# ---------------------------------------------------------------- the reviewer's journeys (issue 16)

AXE = Path(__file__).resolve().parent.parent / "build" / "axe" / "node_modules" / "axe-core" / "axe.min.js"
WIDTHS = {"desktop": 1280, "phone": 390}
# one page of each kind
KINDS = {"home": "/", "proposition": f"/proposition/{CENTRAL}", "claim": f"/claim/{CLAIM}",
         "claims": "/claims?relation=supports", "source": "/source/matrix-b5",
         "work": "/work/relationship-with-therapist-offenders-2008", "setting": "/setting/probation-supervision",
         "factor": "/factor/worker-client-relationship", "gaps": "/gaps", "sources": "/sources",
         "search": "/search?q=therapist+relationship", "sparql": "/sparql", "ontology": "/ontology",
         "excerpt": "/id/excerpt/b5-581-787", "not-found": "/claim/no-such-claim",
         "why": "/why?s=claim:" + CLAIM + "&p=pe:supports&o=prop:" + CENTRAL}


@pytest.fixture(params=list(WIDTHS), ids=list(WIDTHS))
def sized(request, browser, live_server):
    """A page at desktop and at phone width; nothing may load from another host."""
    SHOTS.mkdir(parents=True, exist_ok=True)
    width = WIDTHS[request.param]
    context = browser.new_context(viewport={"width": width, "height": 900}, base_url=live_server,
                                  is_mobile=width < 500, has_touch=width < 500)
    page = context.new_page()
    outside = []
    page.on("request", lambda r: outside.append(r.url) if not r.url.startswith(live_server) else None)
    yield page, request.param
    context.close()
    assert not outside, f"pages loaded something from another host: {outside}"


def test_journey_chart_segment_claim_why_excerpt_and_back(sized):
    page, size = sized
    page.goto("/")
    chart = page.locator(f"svg.stress-{'wide' if size == 'desktop' else 'narrow'}")
    assert chart.is_visible()
    segment = chart.locator('a.segment.supports[href*="setting=treatment-under-criminal-justice-pressure"]')
    count = int(segment.get_attribute("aria-label").split(": ")[1].split()[0])
    segment.scroll_into_view_if_needed()
    shot(page, f"j1-chart-{size}")
    segment.click()
    page.wait_for_url("**/claims?**")
    assert page.locator("h2").first.inner_text().startswith(f"{count} claim")
    shot(page, f"j2-segment-list-{size}")
    page.click(f'a.claim-link[href="/claim/{CLAIM}"]')
    page.wait_for_url(f"**/claim/{CLAIM}")
    shot(page, f"j3-claim-{size}")
    page.locator(".bears-on a:has-text('why?')").first.click()
    page.wait_for_url("**/why?**")
    assert "because it says" in page.locator("p.because").inner_text()
    shot(page, f"j4-why-{size}")
    quote = page.locator("ol.why ul.quotes a").first
    exact = quote.inner_text().strip("“”")
    quote.click()
    page.wait_for_url(re.compile(r"/source/[a-z0-9-]+#char=\d+,\d+$"))
    target = page.locator("mark:target")
    assert target.count() == 1 and target.inner_text() == exact
    box = target.bounding_box()
    assert box is not None and 0 <= box["y"] < 900
    back = page.locator(f'mark:target + .refs a[href="/claim/{CLAIM}"]')
    assert back.is_visible() and "Seeing their therapist" in back.get_attribute("aria-label")
    shot(page, f"j5-excerpt-highlighted-{size}")
    back.focus()  # keyboard-reachable
    page.keyboard.press("Enter")
    page.wait_for_url(f"**/claim/{CLAIM}")
    shot(page, f"j6-back-at-claim-{size}")


def test_search_for_two_words(sized):
    page, size = sized
    page.goto("/search")
    page.fill('main input[name="q"]', "therapist relationship")
    page.press('main input[name="q"]', "Enter")
    page.wait_for_url("**/search?q=therapist+relationship")
    assert page.locator("main mark").count() >= 2
    assert page.locator(f'main a[href="/claim/{CLAIM}"]').count() >= 1
    shot(page, f"j7-search-{size}")


def test_a_bad_query_in_the_sparql_form_shows_where_and_keeps_the_query(sized):
    page, size = sized
    page.goto("/sparql")
    bad = "SELECT ?s WHERE {\n  ?s ?p"
    page.fill("textarea[name=query]", bad)
    page.click("form button:has-text('Run')")
    page.wait_for_url("**/sparql?**")
    alert = page.locator("[role=alert]")
    assert alert.is_visible() and "line 2" in alert.inner_text()
    assert page.locator("textarea[name=query]").input_value() == bad
    shot(page, f"j8-sparql-error-{size}")


@pytest.mark.parametrize("kind", list(KINDS))
def test_no_page_scrolls_sideways_on_a_phone(browser, live_server, kind):
    context = browser.new_context(viewport={"width": 390, "height": 844}, base_url=live_server, is_mobile=True)
    page = context.new_page()
    page.goto(KINDS[kind])
    width = page.evaluate("document.documentElement.scrollWidth")
    shot(page, f"phone-{kind}")
    context.close()
    assert width <= 390, f"{KINDS[kind]} is {width} px wide at 390"


@pytest.fixture(scope="module")
def axe_source():
    """axe-core from the npm registry, installed into build/axe on first use (never committed)."""
    if not AXE.exists():
        import shutil
        import subprocess
        prefix = AXE.parents[2]
        if shutil.which("npm") is None:
            pytest.fail(f"{AXE} is missing and npm is not installed: apt-get install npm "
                        f"(.ci/run does this), then npm install --prefix {prefix} axe-core@4", pytrace=False)
        prefix.mkdir(parents=True, exist_ok=True)
        done = subprocess.run(["npm", "install", "--silent", "--no-audit", "--no-fund", "--prefix", str(prefix),
                               "axe-core@4"], capture_output=True, text=True, timeout=300)
        if done.returncode or not AXE.exists():
            pytest.fail(f"npm install --prefix {prefix} axe-core@4 failed: {done.stderr.strip()[-300:]}", pytrace=False)
    return AXE.read_text(encoding="utf-8")


@pytest.mark.parametrize("kind", list(KINDS))
def test_axe_finds_no_serious_or_critical_violation(browser, live_server, axe_source, kind):
    """axe-core, injected in the test only (the CSP is bypassed for this context, not changed)."""
    context = browser.new_context(viewport={"width": 1280, "height": 900}, base_url=live_server, bypass_csp=True)
    page = context.new_page()
    page.goto(KINDS[kind])
    page.add_script_tag(content=axe_source)
    violations = page.evaluate("async () => (await axe.run(document, {resultTypes: ['violations']})).violations"
                               ".map(v => ({id: v.id, impact: v.impact, nodes: v.nodes.length,"
                               " first: v.nodes[0] && v.nodes[0].target.join(' ')}))")
    context.close()
    _record_axe(kind, violations)
    bad = [v for v in violations if v["impact"] in ("serious", "critical")]
    assert not bad, f"{KINDS[kind]}: {bad}"


def _record_axe(kind: str, violations: list) -> None:
    """build/screenshots/axe.json: every page's violations of any impact, to read and quote."""
    import json
    path = SHOTS / "axe.json"
    SHOTS.mkdir(parents=True, exist_ok=True)
    seen = json.loads(path.read_text()) if path.exists() else {}
    seen[kind] = violations
    path.write_text(json.dumps(seen, indent=1, sort_keys=True))
