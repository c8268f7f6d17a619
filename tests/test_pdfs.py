"""The PDFs staff hand out: tagged, navigable, complete, and reproducible (see test_build)."""

from __future__ import annotations

import base64
import re
import subprocess
import sys

import pikepdf
import pytest
from bs4 import BeautifulSoup
from conftest import FRONT_MATTER, GOOD_INDEX, REPO, build_env, sphinx_build
from pypdf import PdfReader

PAGES = {"ldn-provider-guide": (8, 200), "ldn-quick-reference": (1, 2),
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


def text_of(path) -> str:
    return " ".join(" ".join(page.extract_text().split()) for page in PdfReader(path).pages)


def chapter_titles(guide) -> list[str]:
    titles = []
    for page in sorted((guide / "html").rglob("*.html")):
        if page.parent.name in ("_static", "pdf") or page.stem in ("genindex", "search", "404"):
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


def test_provider_guide_holds_every_chapter(guide, pdfs):
    text = text_of(pdfs["ldn-provider-guide"])
    missing = [title for title in chapter_titles(guide) if title not in text]
    assert missing == []
    assert "Contents" in text


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
    script = ("import sys; sys.path[:0] = [sys.argv[1], sys.argv[2]]\n"
              "import worker; print(worker.render('<p>x</p>', '.', 'x.pdf', 'A4'))")
    result = subprocess.run([sys.executable, "-c", script, str(tmp_path),
                             str(REPO / "docs" / "_ext" / "ldn_guide" / "pdf")],
                            capture_output=True, text=True,
                            env=build_env(), check=True)
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
