"""The HTML guide in a real browser: accessibility, keyboard, privacy, search and print.

Drives Debian's Chromium (`apt-get install chromium`) through Playwright over the built site
served on 127.0.0.1. Never run `playwright install`: it downloads browsers. The browser tests are
marked `browser`: deselect them with `-m "not browser"` on a machine without Chromium. What
needs no browser (metadata, sitemap, valid HTML, captions, the draft banner) is in test_site.py.
"""

from __future__ import annotations

import io
import json
import shutil
import subprocess
import sys
from pathlib import Path

import pikepdf
import pytest
from browser import (
    DESKTOP,
    axe_violations,
    check_keyboard,
    describe,
    new_page,
    serve,
    site_pages,
)
from conftest import GOOD_INDEX, make_project, sphinx_build
from test_site import GENERATED

PHONE = {"width": 600, "height": 900}  # furo's drawers and mobile header
# The chrome a printed page must not show.
CHROME = [".sidebar-drawer", ".toc-drawer", ".mobile-header", ".skip-to-content", ".back-to-top",
          ".theme-toggle", ".related-pages", ".headerlink", ".sidebar-toggle"]


@pytest.fixture(scope="session")
def site(guide) -> Path:
    """The built HTML guide (build/html of the full `nox -s docs` build)."""
    return guide / "html"


@pytest.fixture(scope="session")
def served(site):
    with serve(site) as base:
        yield base


# -- axe-core: WCAG 2.2 A/AA and best practice, every page, both colour schemes -----------------

OUTSIDE = "(requests outside the site)"  # the scan's one key that is not a page
CSP_LISTENER = ("window.__csp = []; document.addEventListener('securitypolicyviolation', "
                "e => window.__csp.push(e.violatedDirective + ' ' + (e.blockedURI || 'inline')));")


def scan_pages(chromium, base: str, names: list[str], scheme: str) -> dict[str, dict]:
    """One visit per page in one colour scheme, for three checks: the CSP violations the
    browser reported while it loaded (read first), axe-core's violations, and the page as
    printed (what stays on screen only, and a PDF); and every request that left the site
    meanwhile (under OUTSIDE). Each check keeps its own test below; the visit is shared
    because loading the pages was most of what each of them took."""
    outside: list[str] = []
    page = new_page(chromium, base, outside, color_scheme=scheme, viewport=DESKTOP)
    page.add_init_script(CSP_LISTENER)
    found = {}
    for name in names:
        page.goto(base + name)
        page.wait_for_load_state("load")
        result = {"csp": page.evaluate("window.__csp"), "axe": axe_violations(page)}
        if name not in GENERATED:
            page.emulate_media(media="print")
            result["print"] = page.evaluate(PRINT_CHECK, CHROME)
            result["printed_pages"] = len(pikepdf.open(io.BytesIO(page.pdf(format="A4"))).pages)
            page.emulate_media(media="screen")
        found[name] = result
    page.context.close()
    found[OUTSIDE] = outside  # requests that left the site, blocked and recorded by new_page
    return found


@pytest.fixture(scope="module")
def keyboard_walk(served, site):
    """The desktop keyboard walk over every page (tests/keyboard_walk.py), in a process with a
    Chromium of its own. It waits on the browser after every Tab more than it computes, so it
    runs while the scans below keep the CPU busy, instead of after them."""
    walk = subprocess.Popen([sys.executable, str(Path(__file__).with_name("keyboard_walk.py")),
                             served, *site_pages(site)],
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    yield walk
    if walk.poll() is None:
        walk.kill()
        walk.communicate()


@pytest.fixture(scope="module")
def scans(chromium, served, site, keyboard_walk):
    """scans(scheme): scan_pages over every page of the guide, once per scheme (the keyboard
    walk is started first, to run alongside)."""
    done: dict[str, dict[str, dict]] = {}

    def scan(scheme: str, outside: bool = False) -> dict:
        if scheme not in done:
            done[scheme] = scan_pages(chromium, served, site_pages(site), scheme)
        if outside:
            return done[scheme][OUTSIDE]
        return {name: result for name, result in done[scheme].items() if name != OUTSIDE}

    return scan


@pytest.mark.parametrize("scheme", ["light", "dark"])
@pytest.mark.browser
def test_every_page_passes_axe(scans, site, scheme):
    pages = site_pages(site)
    assert "index.html" in pages and "404.html" in pages
    failures = [f"{name}:\n  " + describe(result["axe"]).replace("\n", "\n  ")
                for name, result in scans(scheme).items() if result["axe"]]
    assert not failures, f"axe violations ({scheme} scheme):\n" + "\n".join(failures)


@pytest.mark.browser
def test_axe_test_catches_a_violation(chromium, tmp_path):
    """The check above can fail: a fixture page with an image without alt text."""
    image = '\n<img src="data:image/gif;base64,R0lGODlhAQABAAAAACw=" width="20" height="20">\n'
    build = sphinx_build(make_project(tmp_path, pages={"index.md": GOOD_INDEX + image}))
    assert not build.failed, build.warnings
    with serve(build.outdir) as base:
        page = new_page(chromium, base)
        page.goto(base + "index.html")
        found = {violation["id"] for violation in axe_violations(page)}
        page.context.close()
    assert "image-alt" in found


# -- Privacy: no request leaves the site -----------------------------------------------------

@pytest.mark.browser
def test_no_request_leaves_the_site(chromium, served, scans):
    """Every page, loaded in both schemes (by the scans, which also wait for axe-core and a
    print), and the search page running a query."""
    outside = scans("light", outside=True) + scans("dark", outside=True)
    page = new_page(chromium, served, outside, viewport=DESKTOP)
    page.goto(served + "search.html?q=naltrexone", wait_until="networkidle")
    page.context.close()
    assert not outside, "requests outside the site:\n" + "\n".join(sorted(set(outside)))


# -- Keyboard --------------------------------------------------------------------------------

@pytest.mark.browser
def test_keyboard_reaches_every_control_with_visible_focus(keyboard_walk):
    output, errors = keyboard_walk.communicate(timeout=600)
    assert keyboard_walk.returncode == 0, errors
    problems = json.loads(output)
    assert not problems, "\n".join(problems)


@pytest.mark.browser
def test_keyboard_on_a_phone_opens_the_navigation(chromium, served):
    page = new_page(chromium, served, viewport=PHONE, reduced_motion="reduce")
    problems = [p for name in ("index.html", "ldn/dosing.html", "references.html")
                for p in check_keyboard(page, served + name)]
    assert not problems, "\n".join(problems)
    page.goto(served + "ldn/dosing.html")
    page.keyboard.press("Tab")  # skip link
    page.keyboard.press("Tab")
    assert page.evaluate("document.activeElement.dataset.drawer") == "__navigation"
    page.keyboard.press("Enter")
    drawer = page.locator(".sidebar-drawer")
    assert drawer.is_visible() and drawer.bounding_box()["x"] >= 0
    assert page.evaluate("document.activeElement.getAttribute('aria-expanded')") == "true"
    for _ in range(10):
        page.keyboard.press("Tab")
        if page.evaluate("!!document.activeElement.closest('.sidebar-drawer')"):
            break
    else:
        pytest.fail("the opened navigation drawer is not reachable with Tab")
    page.keyboard.press("Escape")  # closes the drawer and returns to its button
    assert page.evaluate("document.activeElement.dataset.drawer") == "__navigation"
    assert not page.evaluate("document.getElementById('__navigation').checked")
    page.context.close()


@pytest.mark.browser
def test_skip_link_moves_to_the_content(chromium, served):
    page = new_page(chromium, served, viewport=DESKTOP)
    page.goto(served + "ldn/dosing.html")
    page.keyboard.press("Tab")
    page.keyboard.press("Enter")
    assert page.evaluate("location.hash") == "#furo-main-content"
    page.context.close()


# -- Search ----------------------------------------------------------------------------------

@pytest.mark.parametrize(("term", "expected"), [
    ("naltrexone", "ldn/"),
    ("fibromyalgia", "conditions/fibromyalgia.html"),
])
@pytest.mark.browser
def test_search_finds(chromium, served, term, expected):
    page = new_page(chromium, served, viewport=DESKTOP)
    page.goto(f"{served}search.html?q={term}")
    page.wait_for_selector("#search-results ul.search li a", timeout=15_000)
    links = page.eval_on_selector_all("#search-results ul.search li a",
                                      "links => links.map(a => a.getAttribute('href'))")
    page.context.close()
    assert any(expected in link for link in links), links


# -- Print -----------------------------------------------------------------------------------

PRINT_CHECK = """(chrome) => ({
  shown: chrome.filter(sel => [...document.querySelectorAll(sel)]
                                .some(el => el.checkVisibility({visibilityProperty: true}))),
  article: document.querySelector('article').checkVisibility(),
  urls: [...document.querySelectorAll('article a.reference.external[href^="http"]')]
          .filter(a => !getComputedStyle(a, '::after').content.includes(a.getAttribute('href')))
          .map(a => a.getAttribute('href')),
  tables: [...document.querySelectorAll('article table')]
          .filter(t => !['avoid', 'avoid-page'].includes(getComputedStyle(t).breakInside)).length,
})"""


@pytest.mark.parametrize("scheme", ["light", "dark"])
@pytest.mark.browser
def test_printed_pages_have_no_navigation(scans, scheme):
    problems = []
    for name, result in scans(scheme).items():
        if name in GENERATED:
            continue
        printed = result["print"]
        if printed["shown"] or not printed["article"] or printed["urls"] or printed["tables"]:
            problems.append(f"{name}: {printed}")
        if not result["printed_pages"]:
            problems.append(f"{name}: empty PDF")
    assert len(scans(scheme)) > len(GENERATED)
    assert not problems, "\n".join(problems)


# -- Content-Security-Policy: only the site's own scripts ------------------------------------

def csp_violations(chromium, base: str, names: list[str], scheme: str) -> dict[str, list[str]]:
    """Per page, the CSP violations the browser reports (securitypolicyviolation events)."""
    return {name: result["csp"] for name, result in scan_pages(chromium, base, names, scheme)
            .items() if name != OUTSIDE and result["csp"]}


@pytest.mark.parametrize("scheme", ["light", "dark"])
@pytest.mark.browser
def test_no_page_reports_a_csp_violation(scans, scheme):
    found = {name: result["csp"] for name, result in scans(scheme).items() if result["csp"]}
    assert found == {}


@pytest.mark.browser
def test_an_inline_script_is_blocked_by_the_csp(chromium, site, tmp_path):
    """The policy can fail a page: an inline script slipped into a built page does not run."""
    copy = tmp_path / "html"
    shutil.copytree(site, copy)
    page_path = copy / "index.html"
    page_path.write_text(page_path.read_text().replace(
        "</article>", "<script>document.title = 'ran';</script></article>", 1))
    with serve(copy) as base:
        found = csp_violations(chromium, base, ["index.html"], "light")
        page = new_page(chromium, base)
        page.goto(base + "index.html")
        title = page.title()
        page.context.close()
    assert title != "ran"
    assert any(v.startswith("script-src") for v in found.get("index.html", [])), found


# -- Readable at every width: nothing wider than its column unless it says it scrolls ---------

WIDTHS = [390, 768, 1280, 1920]
OVERFLOW = """() => {
  const problems = [];
  const article = document.querySelector('article');
  const column = article.getBoundingClientRect();
  const name = el => el.tagName.toLowerCase() + (el.id ? '#' + el.id : '')
    + (el.className && typeof el.className === 'string' ? '.' + el.className.split(' ')[0] : '');
  for (const el of article.querySelectorAll('table, figure, svg, img')) {
    if (el.parentElement.closest('svg')) continue;
    const box = el.getBoundingClientRect();
    if (!box.width) continue;
    const scroller = el.closest('.table-wrapper, .figure-scroll');
    if (scroller) {
      const style = getComputedStyle(scroller);
      const scrolls = ['auto', 'scroll'].includes(style.overflowX);
      // named by aria-label, or by the element aria-labelledby points at (a figure's caption)
      const labelledBy = document.getElementById(scroller.getAttribute('aria-labelledby') || '');
      const accessibleName = scroller.getAttribute('aria-label') || labelledBy?.textContent || '';
      const says = scroller.getAttribute('role') === 'region' && scroller.tabIndex === 0
        && accessibleName.trim() !== ''
        && style.backgroundImage.includes('gradient');
      const region = scroller.getBoundingClientRect();
      if (region.right > column.right + 1 || region.left < column.left - 1)
        problems.push(`${name(el)}: its scroll region is wider than the column`);
      if (!scrolls || !says)
        problems.push(`${name(el)}: in a wrapper that is not a named scroll region with a cue`);
      if (el.matches('table.evidence-table') && scroller.scrollWidth > scroller.clientWidth + 1)
        problems.push(`${name(el)}: an evidence table must fit or reflow, never scroll`);
      continue;
    }
    const parent = el.parentElement.getBoundingClientRect();
    const right = Math.min(column.right, parent.right), left = Math.max(column.left, parent.left);
    if (box.right > right + 1 || box.left < left - 1)
      problems.push(`${name(el)}: ${Math.round(box.width)} px in ${Math.round(right - left)} px`);
  }
  if (document.documentElement.scrollWidth > innerWidth + 1)
    problems.push(`the page scrolls sideways (${document.documentElement.scrollWidth} px)`);
  return problems;
}"""


@pytest.fixture(scope="module")
def overflows(chromium, served, site) -> dict[int, list[str]]:
    """Per width, what overflows on any page: each page is loaded once and measured at every
    width in turn (the window resized, as a reader turning a tablet or widening a window)."""
    page = new_page(chromium, served, viewport={"width": WIDTHS[0], "height": 900})
    found: dict[int, list[str]] = {width: [] for width in WIDTHS}
    for name in site_pages(site):
        page.goto(served + name)
        for width in WIDTHS:
            page.set_viewport_size({"width": width, "height": 900})
            found[width] += [f"{name} at {width} px: {problem}"
                             for problem in page.evaluate(OVERFLOW)]
        page.set_viewport_size({"width": WIDTHS[0], "height": 900})
    page.context.close()
    return found


@pytest.mark.parametrize("width", WIDTHS)
@pytest.mark.browser
def test_no_table_or_figure_overflows_its_column(overflows, width):
    assert not overflows[width], "\n".join(overflows[width])


@pytest.mark.browser
def test_recommendation_boxes_are_at_body_size(chromium, served):
    page = new_page(chromium, served, viewport=DESKTOP)
    page.goto(served + "conditions/depression.html")
    sizes = page.evaluate("""() => ({
      body: parseFloat(getComputedStyle(document.querySelector('article p')).fontSize),
      boxes: [...document.querySelectorAll('article .admonition p')]
               .map(p => parseFloat(getComputedStyle(p).fontSize)),
    })""")
    page.context.close()
    assert sizes["boxes"] and min(sizes["boxes"]) >= sizes["body"], sizes


# -- The home page routes a busy reader ----------------------------------------------------------

@pytest.mark.parametrize("width", [390, 1280])
@pytest.mark.browser
def test_start_here_row_is_above_the_fold(chromium, served, width):
    page = new_page(chromium, served, viewport={"width": width, "height": 900})
    page.goto(served + "index.html")
    links = page.eval_on_selector_all(".start-here a", "els => els.map(a => [a.textContent, "
                                      "a.getBoundingClientRect().bottom])")
    page.context.close()
    names = [name for name, _ in links]
    for wanted in ("Quick reference", "Depression", "Dissociative symptoms", "Fibromyalgia",
                   "Safety"):
        assert wanted in names, names
    assert any("PDF" in name for name in names), names
    assert max(bottom for _, bottom in links) <= 900, links


# -- Condition pages in decision order (issue 24) -------------------------------------------------

CONDITION_PAGES = ("depression", "dissociation", "fibromyalgia")
# (viewport, the most screens of scrolling before "What to tell the patient" starts)
DECISION_VIEWPORTS = {"desktop": ({"width": 1280, "height": 800}, 4),
                      "phone": ({"width": 390, "height": 844}, 6)}
PATIENT_HEADING = "section#what-to-tell-the-patient > h2"


def settled(page) -> None:
    """Wait until a smooth scroll has ended (the position unchanged for 200 ms)."""
    page.wait_for_function("""() => new Promise(done => {
      let last = -1;
      const tick = () => scrollY === last ? done(true) : (last = scrollY, setTimeout(tick, 200));
      tick();
    })""")


@pytest.mark.parametrize("viewport", DECISION_VIEWPORTS)
@pytest.mark.parametrize("name", CONDITION_PAGES)
@pytest.mark.browser
def test_what_to_tell_the_patient_is_near_the_top(chromium, served, name, viewport):
    """The heading starts within 4 screens at 1280 x 800 (6 on a 390 px phone), and one click
    on the jump row under the Key points box brings it to the top of the window."""
    size, most = DECISION_VIEWPORTS[viewport]
    page = new_page(chromium, served, viewport=size, is_mobile=viewport == "phone")
    page.goto(served + f"conditions/{name}.html")
    top = page.eval_on_selector(PATIENT_HEADING,
                                "h => h.getBoundingClientRect().top + scrollY")
    screens = top / size["height"]
    box_bottom = page.eval_on_selector(".key-points", "b => b.getBoundingClientRect().bottom")
    row = page.locator("nav.on-this-page")
    row_top = row.evaluate("r => r.getBoundingClientRect().top")
    link = row.get_by_role("link", name="What to tell the patient")
    link.click()
    settled(page)  # furo scrolls smoothly
    after = page.eval_on_selector(PATIENT_HEADING, "h => h.getBoundingClientRect().top")
    page.context.close()
    print(f"{name} {viewport}: 'What to tell the patient' at {top:.0f} px = screen "
          f"{screens + 1:.1f}")
    assert screens < most, f"{name}: starts {screens:.1f} screens down at {size}"
    assert 0 <= row_top - box_bottom < 60, "the jump row sits right under the Key points box"
    assert 0 <= after < size["height"] / 4, f"one click leaves the heading at {after} px"


@pytest.mark.parametrize("name", CONDITION_PAGES)
@pytest.mark.browser
def test_study_narratives_are_closed_on_screen_open_in_print_and_by_keyboard(chromium, served,
                                                                             name):
    page = new_page(chromium, served, viewport={"width": 1280, "height": 800})
    page.goto(served + f"conditions/{name}.html")
    shown = ("() => [...document.querySelectorAll('details.study-narrative')]"
             ".map(d => d.querySelector(':scope > div p').checkVisibility())")
    closed = page.evaluate(shown)
    toc = page.eval_on_selector_all(".toc-tree a", "as => as.map(a => a.textContent.trim())")
    summary = page.locator("details.study-narrative > summary").first
    summary.focus()
    page.keyboard.press("Enter")
    opened = page.evaluate(shown)[0]
    page.emulate_media(media="print")
    page.reload()
    printed = page.evaluate(shown)
    page.context.close()
    assert closed and not any(closed), "every narrative is collapsed on screen"
    assert opened, "Enter on a narrative's summary opens it"
    assert all(printed), "every narrative prints expanded"
    # The page's contents reach the decision sections first, and no narrative is listed.
    assert toc[1:5] == ["Rationale and impact", "In practice", "What to tell the patient",
                        "Safety summary"], toc
    assert len(toc) <= 10, toc


@pytest.mark.browser
def test_a_link_to_a_narrative_opens_it(chromium, served):
    """DIS-3's "See:" link (a label on a narrative) opens the disclosure it points into."""
    page = new_page(chromium, served, viewport={"width": 1280, "height": 800})
    page.goto(served + "conditions/dissociation.html")
    page.locator('.key-points a[href="#dissociation-pape2014"]').click()
    settled(page)
    state = page.eval_on_selector("#dissociation-pape2014",
                                  "b => [b.closest('details').open, b.getBoundingClientRect().top,"
                                  " b.closest('details').querySelector('summary')"
                                  ".getBoundingClientRect().top]")
    page.context.close()
    is_open, body_top, summary_top = state
    assert is_open
    assert 0 <= summary_top < body_top < 800, state


# -- The summary of findings is a summary: one short row per outcome -----------------------------

SOF_ROW_LIMIT = 600  # px at 1280 px wide (issue 24: row 1 was 2,785 px)
SOF_LAYOUT = """() => {
  const table = document.querySelector('table.summary-of-findings');
  const notes = document.querySelector('.summary-of-findings-notes');
  const wrapper = table.closest('.table-wrapper') || table;
  return {
    rows: [...table.querySelectorAll('tbody > tr')].map(row =>
      [row.id, Math.round(row.getBoundingClientRect().height)]),
    header: getComputedStyle(table.querySelector('thead')).position !== 'absolute',
    gap: notes ? Math.round(notes.getBoundingClientRect().top
                            - wrapper.getBoundingClientRect().bottom) : null,
  };
}"""


def sof_layout(page) -> dict:
    return page.evaluate(SOF_LAYOUT)


def too_tall(rows: list) -> list:
    return [(row_id, height) for row_id, height in rows if height > SOF_ROW_LIMIT]


@pytest.mark.parametrize("name", ["depression", "dissociation", "fibromyalgia"])
@pytest.mark.browser
def test_summary_of_findings_rows_are_short_with_footnotes_under_the_table(chromium, served,
                                                                          name):
    page = new_page(chromium, served, viewport={"width": 1280, "height": 800})
    page.goto(served + f"conditions/{name}.html")
    layout = sof_layout(page)
    page.context.close()
    assert layout["rows"] and not too_tall(layout["rows"]), layout["rows"]
    assert layout["header"], "the summary of findings is not a table with its headings at 1280"
    assert layout["gap"] is not None and 0 <= layout["gap"] < 60, layout  # directly under it


@pytest.mark.browser
def test_the_row_height_check_catches_a_stacked_row(chromium, served):
    """The fault the check exists for: an effect cell stacking ten results (as row 1 did)."""
    page = new_page(chromium, served, viewport={"width": 1280, "height": 800})
    page.goto(served + "conditions/fibromyalgia.html")
    page.evaluate("""() => {
      const cell = document.querySelector('table.summary-of-findings tbody td:nth-child(3)');
      for (let i = 0; i < 10; i++) cell.insertAdjacentHTML('beforeend',
        '<p>Pooled by a review (their analysis): standardised mean difference in pain '
        + '−0.61 (95% CI −1.14 to −0.08); randomised trials in fibromyalgia, before INNOVA</p>');
    }""")
    layout = sof_layout(page)
    page.context.close()
    assert [row_id for row_id, _ in too_tall(layout["rows"])] == [
        "outcome-fibromyalgia-pain-45mg"]
