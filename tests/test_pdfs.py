"""The PDFs staff hand out: tagged, navigable, complete, and reproducible (see test_build)."""

from __future__ import annotations

import base64
import functools
import re
import subprocess
import sys
from dataclasses import dataclass
from importlib import resources
from pathlib import Path

import pikepdf
import pytest
from bs4 import BeautifulSoup
from conftest import FRONT_MATTER, GOOD_INDEX, REPO, project_env, sphinx_build
from ldn_guide.conventions import WEB_ONLY_PAGES
from ldn_guide.pdf import card
from pypdf import PdfReader

# Pages of each PDF. The provider guide held edition 2026.2's content in 79 pages, and in 75
# once its tables fit the paper (issue 24); the evidence added since (rationale lists, the
# published meta-analyses' tables, risk of bias per study, the figures' data tables, the
# searches, PRISMA flow and AGREE II table) makes 91; the response to clinical review 2 (label
# rows by label, the depersonalisation and ketamine studies, the reasons behind each judgement)
# makes 100.
PAGES = {"ldn-provider-guide": (8, 105), "ldn-quick-reference": (1, 2),
         "ldn-patient-handout": (1, 6)}
PRESCRIBER_TITLE = "Low-dose naltrexone (LDN): a guide for prescribers"
PATIENT_TITLE = "Low-dose naltrexone (LDN): information for patients"
# (title on the cover, heading of the cover's disclaimer) per PDF
COVERS = {"ldn-provider-guide": (PRESCRIBER_TITLE, "Your responsibility"),
          "ldn-quick-reference": (PRESCRIBER_TITLE, "Your responsibility"),
          "ldn-patient-handout": (PATIENT_TITLE, "About this leaflet")}


@pytest.fixture(scope="module")
def pdfs(guide):
    return {name: guide / "html" / "pdf" / f"{name}.pdf" for name in PAGES}


@functools.lru_cache(maxsize=16)
def extracted_pages(path: str, mtime_ns: int) -> tuple[str, ...]:
    """Each page's text, extracted once per file (the guide's takes pypdf several seconds, and
    four tests read it)."""
    return tuple(page.extract_text() for page in PdfReader(path).pages)


def page_texts(path) -> tuple[str, ...]:
    return extracted_pages(str(path), path.stat().st_mtime_ns)


def text_of(path) -> str:
    return " ".join(" ".join(text.split()) for text in page_texts(path))


def chapter_titles(guide) -> list[str]:
    """The title of every page the provider guide prints (not the web-only review logs)."""
    titles = []
    web_only = {guide / "html" / f"{name}.html" for name in WEB_ONLY_PAGES}
    for page in sorted((guide / "html").rglob("*.html")):
        if page.parent.name in ("_static", "pdf") or page.stem in ("genindex", "search", "404") \
                or page in web_only:
            continue
        heading = BeautifulSoup(page.read_text(), "html.parser").select_one("article h1")
        if heading and page.stem != "index":
            titles.append(" ".join(heading.get_text().replace("¶", "").split()))
    return titles


@pytest.mark.parametrize("name", PAGES)
def test_pdf_is_tagged_titled_and_has_an_outline(pdfs, name):
    with pikepdf.open(pdfs[name]) as pdf:
        low, high = PAGES[name]
        assert low <= len(pdf.pages) <= high
        assert str(pdf.Root.Lang) == "en"
        assert "/StructTreeRoot" in pdf.Root and bool(pdf.Root.MarkInfo.Marked)
        assert COVERS[name][0] in str(pdf.docinfo["/Title"])
        with pdf.open_outline() as outline:
            assert outline.root, "no bookmarks"


@pytest.mark.parametrize("name", PAGES)
def test_every_link_goes_somewhere_inside_the_pdf_or_to_the_web(pdfs, name):
    with pikepdf.open(pdfs[name]) as pdf:
        names = pdf.Root.get("/Names")
        named = set(pikepdf.NameTree(names.Dests).keys()) if names is not None else set()
        for number, page in enumerate(pdf.pages, start=1):
            for annot in page.get("/Annots", []):
                if annot.get("/Subtype") != "/Link":
                    continue
                action = annot.get("/A")
                if action is not None and action.get("/S") == "/URI":
                    assert str(action.URI).startswith(("https://", "http://")), (number, action.URI)
                    continue
                dest = annot.get("/Dest", action.get("/D") if action is not None else None)
                assert dest is not None, f"page {number}: link without a destination"
                if isinstance(dest, pikepdf.String):
                    assert str(dest) in named, f"page {number}: no destination {dest}"


@pytest.mark.parametrize("name", PAGES)
def test_pdf_text_has_title_edition_dates_and_disclaimer(pdfs, name):
    text = text_of(pdfs[name])
    title, disclaimer = COVERS[name]
    assert title in text
    assert "Edition 20" in text
    assert "Last reviewed: 20" in text and "Next review due: 20" in text
    assert text.count(disclaimer) == 1, f"{disclaimer!r} should be printed once"
    for leftover in ("[]", "could not find", "??", "document-"):
        assert leftover not in text


def test_provider_guide_holds_every_chapter_but_the_web_only_review_log(guide, pdfs):
    text = text_of(pdfs["ldn-provider-guide"])
    missing = [title for title in chapter_titles(guide) if title not in text]
    assert missing == []
    assert "Contents" in text
    assert "Responses to Clinical review 1" not in text  # the log's table is web only


def test_pdfua_checker_reports_no_errors(pdfs):
    result = subprocess.run([sys.executable, "-m", "pdfua", "check", "--min-severity", "error",
                             *map(str, pdfs.values())], capture_output=True, text=True)
    assert result.returncode == 0, result.stdout


PDF_PAGES = {
    "quick-reference.md": FRONT_MATTER + "# Quick reference\n\nDose {cite:p}`smith2020`.\n",
    "patients/handout.md": FRONT_MATTER + "# Handout\n\nTake it at night {cite:p}`smith2020`.\n",
    "index.md": GOOD_INDEX.replace("references\n", "quick-reference\npatients/handout\n"
                                   "references\n")
    + "\n## Your responsibility\n\n:::{container} guide-disclaimer\nUse your judgement.\n:::\n",
}


def test_us_letter_is_selectable(project):
    result = sphinx_build(project(pages=PDF_PAGES), "html", "-D", "pdf_guides=1",
                          "-D", "pdf_page_size=letter")
    assert not result.failed, result.warnings
    with pikepdf.open(result.outdir / "pdf" / "ldn-patient-handout.pdf") as pdf:
        assert [round(float(v)) for v in pdf.pages[0].mediabox][2:] == [612, 792]


def test_an_unknown_page_size_fails_naming_the_setting(project):
    result = sphinx_build(project(pages=PDF_PAGES), "html", "-D", "pdf_guides=1",
                          "-D", "pdf_page_size=A5")
    assert result.failed
    assert re.search(r"The config value `pdf_page_size` has to be a one of .*'A4'.*`A5` is given",
                     result.warnings), result.warnings


def test_a_pdf_whose_page_is_missing_fails_naming_the_page(project):
    pages = {**PDF_PAGES, "index.md": PDF_PAGES["index.md"].replace("patients/handout\n", "")}
    result = sphinx_build(project(pages=pages), "html", "-D", "pdf_guides=1")
    assert result.failed
    assert ("ldn-patient-handout.pdf needs the page docs/patients/handout.md in a toctree"
            in result.warnings)


def test_a_single_page_that_cannot_be_made_fails_the_build_saying_so(project, monkeypatch):
    """The single page is made in a forked copy of the build (two cores): what goes wrong
    there comes back as a warning, and the PDF workers, left without jobs, say so too."""
    from ldn_guide.adapters import pdf

    def broken(app):
        raise RuntimeError("a deliberate fault")

    monkeypatch.setattr(pdf, "single_page_body", broken)
    monkeypatch.setattr(pdf.os, "cpu_count", lambda: 2)  # two workers, so the fork is used
    result = sphinx_build(project(pages=PDF_PAGES), "html", "-D", "pdf_guides=1")
    assert result.failed
    assert ("the PDFs' single page could not be made: RuntimeError: a deliberate fault"
            in result.warnings), result.warnings


def test_the_pdfs_alone_come_from_the_dummy_builder(project):
    result = sphinx_build(project(pages=PDF_PAGES), "dummy", "-D", "pdf_guides=1")
    assert not result.failed, result.warnings  # the benchmark times our PDF route this way
    assert sorted(path.name for path in (result.outdir / "pdf").iterdir()) == sorted(
        f"{name}.pdf" for name in PAGES)


def test_an_image_in_a_page_is_in_its_pdf(project):
    pages = {**PDF_PAGES, "patients/handout.md": PDF_PAGES["patients/handout.md"]
             + "\n![A grey square](square.png)\n"}
    root = project(pages=pages)
    (root / "docs" / "patients" / "square.png").write_bytes(base64.b64decode(GREY_PNG))
    result = sphinx_build(root, "html", "-D", "pdf_guides=1")
    assert not result.failed, result.warnings
    with pikepdf.open(result.outdir / "pdf" / "ldn-patient-handout.pdf") as pdf:
        assert len(pdf.pages[0].get_images()) == 1


def test_a_missing_image_fails_naming_the_pdf_and_the_file(project):
    pages = {**PDF_PAGES, "patients/handout.md": PDF_PAGES["patients/handout.md"]
             + '\n<img src="gone.png" alt="Gone">\n'}  # raw HTML: Sphinx does not look inside
    result = sphinx_build(project(pages=pages), "html", "-D", "pdf_guides=1")
    assert result.failed
    assert re.search(r'ldn-patient-handout\.pdf: Error fetching "file://\S+/docs/gone\.png" .*'
                     r"fix its path in the page", result.warnings)


# A 1 x 1 grey PNG.
GREY_PNG = ("iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAAAAAA6fptVAAAACklEQVR4nGNoAAAAggCBd81ytgAAAABJRU5E"
            "rkJggg==")


def test_read_the_docs_builds_the_pdfs_with_plain_sphinx_build(project, monkeypatch):
    monkeypatch.setenv("READTHEDOCS", "True")  # Read the Docs sets it; it runs no nox
    result = sphinx_build(project(pages=PDF_PAGES))
    assert not result.failed, result.warnings
    assert (result.outdir / "pdf" / "ldn-provider-guide.pdf").is_file()


def test_plain_html_builds_write_no_pdfs_and_offer_none(project):
    result = sphinx_build(project(pages=PDF_PAGES))  # as `nox -s preview` and bare Sphinx do
    assert not result.failed, result.warnings
    assert not (result.outdir / "pdf").exists()
    assert "Printed versions" not in (result.outdir / "index.html").read_text()


def test_pdf_downloads_in_the_sidebar_are_the_pdfs_written(guide):
    page = BeautifulSoup((guide / "html" / "ldn" / "safety.html").read_text(), "html.parser")
    links = [a["href"] for a in page.select(".sidebar-pdf-downloads a[download]")]
    assert sorted(links) == sorted(f"../pdf/{name}.pdf" for name in PAGES)
    assert all((guide / "html" / "ldn" / link).resolve().is_file() for link in links)


def test_missing_pango_gives_an_install_hint(tmp_path):
    (tmp_path / "weasyprint.py").write_text(
        "raise OSError(\"cannot load library 'libpango-1.0-0': No such file\")\n")
    script = ("from ldn_guide.pdf import render\n"
              "print(render.render('<p>x</p>', '.', 'x.pdf', 'A4'))")
    result = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True,
                            env=project_env(str(tmp_path)), check=True)  # stand-in first
    assert "apt-get install -y libpango-1.0-0 libpangoft2-1.0-0" in result.stdout


def test_handout_first_page_is_the_patients(pdfs):
    first = " ".join(PdfReader(pdfs["ldn-patient-handout"]).pages[0].extract_text().split())
    assert PATIENT_TITLE in first and "About this leaflet" in first
    for prescriber_wording in ("guide for prescribers", "Your responsibility", "prescriber,"):
        assert prescriber_wording not in first


def test_the_disclaimer_is_found_by_its_marker_not_its_heading(project):
    """Renaming the heading above the disclaimer cannot drop it from the PDFs."""
    renamed = {**PDF_PAGES, "index.md": PDF_PAGES["index.md"].replace(
        "## Your responsibility", "## Before you prescribe")}
    result = sphinx_build(project(pages=renamed), "html", "-D", "pdf_guides=1")
    assert not result.failed, result.warnings
    for name in ("ldn-provider-guide", "ldn-quick-reference"):
        assert "Use your judgement." in text_of(result.outdir / "pdf" / f"{name}.pdf"), name


# -- References once (issue 17) -------------------------------------------------------------

def squeezed(text: str) -> str:
    """Text without whitespace: a PDF breaks lines (and pages) where HTML has spaces."""
    return re.sub(r"\s+", "", text)


def reference_entries(guide) -> dict[str, str]:
    """Each entry of references.html: its id and its text."""
    page = BeautifulSoup((guide / "html" / "references.html").read_text(), "html.parser")
    return {entry["id"]: entry.find("p").get_text() for entry in page.select("div.citation")}


def test_each_reference_is_listed_once_on_the_references_page(guide):
    """The single-page pass of the PDFs once filled sphinxcontrib-bibtex's citation nodes a
    second time, so every entry showed twice (adapters/pdf.py bibliographies_left_as_they_were)."""
    page = BeautifulSoup((guide / "html" / "references.html").read_text(), "html.parser")
    entries = page.select("article div.citation")
    assert len(entries) >= 10
    ids = [entry["id"] for entry in entries]
    assert len(ids) == len(set(ids))
    for entry in entries:
        assert len(entry.find_all("p", recursive=False)) == 1, entry["id"]
        assert len(entry.find_all("span", class_="label", recursive=False)) == 1, entry["id"]
    text = squeezed(page.select_one("article").get_text())
    for key, entry in reference_entries(guide).items():
        assert text.count(squeezed(entry)) == 1, key


def pdf_text_without_running_heads(path) -> str:
    """The PDF's text with the running header and footer of each page left out."""
    pages = []
    for text in page_texts(path):
        text = re.sub(r"Edition \S+\. Last reviewed: \S+\. Next review due: \S+\.", "", text)
        pages.append(re.sub(r"Page \d+ of \d+", "", text))
    return squeezed("".join(pages))


@pytest.mark.parametrize("name", ["ldn-provider-guide", "ldn-quick-reference"])
def test_each_reference_is_printed_once_in_each_pdf(guide, pdfs, name):
    entries = reference_entries(guide)
    text = pdf_text_without_running_heads(pdfs[name])
    if name == "ldn-provider-guide":
        expected = set(entries)  # the whole guide holds the whole list
    else:
        page = BeautifulSoup((guide / "html" / "quick-reference.html").read_text(), "html.parser")
        expected = {a["href"].rpartition("#")[2] for a in page.select('article a[href*="#cite-"]')}
    if name == "ldn-quick-reference":  # the card prints short references (pdf/card.py)
        assert {key for key, entry in entries.items() if squeezed(entry) in text} == set()
        entries = {key: card.short_reference(entry) for key, entry in entries.items()}
    counts = {key: text.count(squeezed(entry)) for key, entry in entries.items()}
    assert {key: n for key, n in counts.items() if key in expected and n != 1} == {}
    assert {key: n for key, n in counts.items() if key not in expected and n} == {}


# -- The patient handout is the patient's ----------------------------------------------------

def test_handout_has_no_citations_and_says_where_its_information_comes_from(guide, pdfs):
    text = text_of(pdfs["ldn-patient-handout"])
    assert "Where this information comes from" in text
    assert "guide for prescribers" in text.split("Where this information comes from")[1]
    printable = guide / "doctrees" / "pdf-input" / "ldn-patient-handout.html"
    soup = BeautifulSoup(printable.read_text(encoding="utf-8"), "html.parser")
    headings = [h.get_text(" ", strip=True) for h in soup.main.find_all(re.compile("^h[1-6]$"))]
    assert "References" not in headings and soup.select("main div.citation") == []
    for entry in reference_entries(guide).values():  # no reference list
        assert squeezed(entry) not in squeezed(text)
    assert not re.search(r"\[[^\]]*(et al\.|n\.d\.|, (19|20)\d\d)[^\]]*\]", text), (
        "an author-year citation is left in the handout")


def test_handout_wallet_card_is_cut_out_size(project):
    """The wallet card (marker class wallet-card): 85 x 55 mm, on a strip of its own at the
    end, where cutting it out takes nothing else away."""
    card = ("\n:::{admonition} Wallet card: cut out and keep with you\n:class: important "
            "wallet-card\n\n**I take naltrexone.**\n:::\n\n## After the card\n\nMore text.\n")
    pages = {**PDF_PAGES, "patients/handout.md": PDF_PAGES["patients/handout.md"] + card}
    result = sphinx_build(project(pages=pages), "html", "-D", "pdf_guides=1")
    assert not result.failed, result.warnings
    html = (result.outdir.parent / "doctrees" / "pdf-input" / "ldn-patient-handout.html")
    soup = BeautifulSoup(html.read_text(encoding="utf-8"), "html.parser")
    strip = soup.select_one("main .wallet-card-strip")
    assert strip is not None and strip.select_one(".wallet-card") is not None
    after = [tag for tag in strip.find_all_next(["p", "h2", "table"]) if strip not in tag.parents]
    assert after == [], "the wallet card must come last"
    text = text_of(result.outdir / "pdf" / "ldn-patient-handout.pdf")
    assert "I take naltrexone." in text and "Cut out along the dashed line" in text
    width, height = laid_out_size(html, "wallet-card")
    assert (round(width, 1), round(height, 1)) == (85.0, 55.0), "the card is not 85 x 55 mm"


def laid_out_size(html_path, css_class: str) -> tuple[float, float]:
    """The border box, in mm, of the first element with ``css_class`` as WeasyPrint lays out
    the printable HTML with the guide's print stylesheet. Reads WeasyPrint's layout boxes
    (``Page._page_box``, not public API; the same since WeasyPrint 53): if they change, this
    test fails here, not silently."""
    import weasyprint
    from ldn_guide.pdf.render import local_files_only, print_stylesheet

    document = weasyprint.HTML(filename=str(html_path), url_fetcher=local_files_only()).render(
        stylesheets=[print_stylesheet()])
    for page in document.pages:
        for box in page._page_box.descendants():
            if css_class in (getattr(box, "element", None) is not None
                             and box.element.get("class", "") or "").split():
                return box.border_width() * 25.4 / 96, box.border_height() * 25.4 / 96
    raise AssertionError(f"no .{css_class} box in the laid-out {html_path.name}")


# -- The quick reference is a two-page card ---------------------------------------------------

def test_quick_reference_is_two_pages_opening_with_before_you_supply(pdfs):
    """Issue 25: the card opens with the pharmacist's checklist (nothing before it but the
    running head), then Counsel and "Supplied as"; the prescriber's page and the colophon
    (edition, publisher, responsibility) follow."""
    reader = PdfReader(pdfs["ldn-quick-reference"])
    assert len(reader.pages) == 2
    first = " ".join(reader.pages[0].extract_text().split())
    first = first.removeprefix("Draft edition ")
    assert first.startswith("Before you supply"), first[:80]
    assert first.index("Counsel") < first.index("Supplied as")
    assert "Any opioid now?" in first and "do not supply; contact the prescriber" in first
    second = " ".join(reader.pages[1].extract_text().split())
    assert second.index("For the prescriber") < second.index("Your responsibility")
    assert "Published by" in second


def test_quick_reference_body_text_is_at_least_8_5_pt(pdfs):
    """Every run of text on the card's first page (the checklist, counselling, "Supplied as")
    is set at 8.5 pt or more (the running head and foot aside)."""
    sizes = []

    def visit(text, cm, tm, font, size):
        if text.strip():
            scale = (tm[0] ** 2 + tm[1] ** 2) ** 0.5 * (cm[0] ** 2 + cm[1] ** 2) ** 0.5
            sizes.append((round(size * scale, 2), text.strip()))

    PdfReader(pdfs["ldn-quick-reference"]).pages[0].extract_text(visitor_text=visit)
    body = [(size, text) for size, text in sizes
            if not re.search(r"Draft edition|Edition 20|Page \d|^\[|^[\d, \]]+$", text)]
    assert body and min(size for size, _ in body) >= 8.5, sorted(body)[:5]


def conf_value(name: str):
    """A literal setting of docs/conf.py, read without running it."""
    import ast

    tree = ast.parse((REPO / "docs" / "conf.py").read_text(encoding="utf-8"))
    for node in tree.body:
        if isinstance(node, ast.Assign) and any(getattr(t, "id", None) == name
                                                for t in node.targets):
            return ast.literal_eval(node.value)
    raise AssertionError(f"docs/conf.py sets no {name}")


def test_pdfs_of_a_draft_build_say_so(pdfs):
    """docs/conf.py leaves the contact and the web address empty: every PDF is a draft. The
    card prints its cover last (its colophon); every page's running head says so."""
    for name, path in pdfs.items():
        pages = PdfReader(path).pages
        cover = pages[-1 if name == "ldn-quick-reference" else 0]
        text = " ".join(cover.extract_text().split())
        assert "Draft edition." in text, name
        assert f"Published by {conf_value('guide_publisher')}" in text, name
        assert all("Draft edition" in page.extract_text() for page in pages), name


# -- The printed pages fit the paper -----------------------------------------------------------
# Every word inside the page's content box (the running header and footer in its margins), and
# no page left half empty inside a chapter. Word boxes from poppler's `pdftotext -bbox`
# (poppler-utils, declared for the tests in pyproject.toml).
MM = 72 / 25.4  # points in a millimetre
TOLERANCE = 0.5  # points: a glyph's box may reach this far past the edge it is set against
HALF_FULL = 0.5


@dataclass(frozen=True)
class PrintedPage:
    number: int
    width: float
    height: float
    words: tuple[tuple[str, float, float, float, float], ...]  # text, x0, y0, x1, y1


# The PDFs laid out on a named page of print.css (`@page card`), not the default `@page`.
NAMED_PAGE = {"ldn-quick-reference": "card"}


def page_margins(name: str = "") -> tuple[float, float, float, float]:
    """(top, right, bottom, left) in points: the ``margin`` of print.css's ``@page`` rule for
    this PDF (its named page, if it has one)."""
    css = (resources.files("ldn_guide.pdf") / "print.css").read_text(encoding="utf-8")
    selector = re.escape(NAMED_PAGE.get(name, ""))
    found = re.search(rf"@page\s*{selector}\s*\{{[^}}]*?\bmargin:\s*([^;}}]+)", css)
    assert found, f"print.css has no @page {selector} {{ margin: ... }}"
    values = [float(value.removesuffix("mm")) * MM for value in found[1].split()]
    values += {1: values * 3, 2: values, 3: values[1:2]}.get(len(values), [])  # CSS shorthand
    top, right, bottom, left = values
    return top, right, bottom, left


def printed_pages(pdf: Path) -> list[PrintedPage]:
    output = subprocess.run(["pdftotext", "-bbox", str(pdf), "-"], capture_output=True,
                            text=True, check=True).stdout
    pages = []
    for number, page in enumerate(BeautifulSoup(output, "html.parser").find_all("page"), 1):
        words = tuple((word.get_text(), *(float(word[key]) for key in
                                          ("xmin", "ymin", "xmax", "ymax")))
                      for word in page.find_all("word"))
        pages.append(PrintedPage(number, float(page["width"]), float(page["height"]), words))
    return pages


def words_off_the_page(pages: list[PrintedPage], name: str = "") -> list[str]:
    """Words outside the content box: beside it, or across its top or bottom edge (the
    running header and footer sit wholly in the top and bottom margins)."""
    top, right, bottom, left = page_margins(name)
    problems = []
    for page in pages:
        low, high = page.height - bottom, page.width - right
        off = [text for text, x0, y0, x1, y1 in page.words
               if x0 < left - TOLERANCE or x1 > high + TOLERANCE or y0 < 0 or y1 > page.height
               or not (y0 >= top - TOLERANCE and y1 <= low + TOLERANCE
                       or y1 <= top + TOLERANCE or y0 >= low - TOLERANCE)]
        if off:
            problems.append(f"page {page.number}: {len(off)} words outside the content box "
                            f"({' '.join(off[:8])} ...)")
    return problems


def half_empty_pages(pages: list[PrintedPage], name: str = "") -> list[str]:
    """Blank pages, and pages less than half full that do not end a chapter (the next page's
    running header names another chapter) or the PDF."""
    top, _, bottom, _ = page_margins(name)

    def header(page: PrintedPage) -> str:
        return " ".join(text for text, _, _, _, y1 in page.words if y1 <= top + TOLERANCE)

    problems = []
    for index, page in enumerate(pages):
        low = page.height - bottom
        body = [y1 for _, _, y0, _, y1 in page.words
                if y0 >= top - TOLERANCE and y1 <= low + TOLERANCE]
        filled = (max(body) - top) / (low - top) if body else 0.0
        ends_chapter = index == len(pages) - 1 or header(pages[index + 1]) != header(page)
        if not body or (filled < HALF_FULL and not ends_chapter):
            problems.append(f"page {page.number} is {filled:.0%} full inside its chapter"
                            f" ({header(page)!r})")
    return problems


@pytest.mark.parametrize("name", PAGES)
def test_every_word_is_inside_the_page_and_no_page_is_left_half_empty(pdfs, name):
    pages = printed_pages(pdfs[name])
    assert len(pages) == len(page_texts(pdfs[name]))
    off, thin = words_off_the_page(pages, name), half_empty_pages(pages, name)
    assert not off, "\n".join(off)
    assert not thin, "\n".join(thin)


OVER_WIDE = """<!DOCTYPE html><html lang="en"><head><meta charset="utf-8"><title>Wide</title>
</head><body><main><p>A table as wide as a landscape page, on a portrait page.</p>
<table style="width: 260mm; table-layout: fixed"><tbody><tr>{cells}</tr></tbody></table>
<p style="break-before: page">The next page of the same chapter.</p></main></body></html>"""
LAY_OUT = """
import sys
from ldn_guide.pdf import render
html, folder = sys.argv[1], sys.argv[2]
print(render.render(open(html, encoding="utf-8").read(), folder + "/", folder + "/wide.pdf",
                    "A4"))
"""


def test_the_page_checks_catch_a_table_wider_than_the_page(tmp_path):
    """A small document laid out as the PDFs are (print.css), with one table 260 mm wide on an
    A4 page and a page break that leaves its first page nearly empty: both checks fail."""
    cells = "".join(f"<td>Column {number} says something</td>" for number in range(1, 11))
    html = tmp_path / "wide.html"
    html.write_text(OVER_WIDE.format(cells=cells), encoding="utf-8")
    result = subprocess.run([sys.executable, "-c", LAY_OUT, str(html), str(tmp_path)],
                            capture_output=True, text=True, check=True,
                            env=project_env())
    assert result.stdout.strip() == "[]", result.stdout
    pages = printed_pages(tmp_path / "wide.pdf")
    off = words_off_the_page(pages)
    assert len(off) == 1 and off[0].startswith("page 1: ") and "content box" in off[0], off
    thin = half_empty_pages(pages)
    assert len(thin) == 1 and thin[0].startswith("page 1 is ") and "inside its chapter" in (
        thin[0]), thin
