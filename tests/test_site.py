"""The built HTML site, read without a browser: page metadata, the sitemap, valid HTML
(the Nu HTML Checker), table captions, the search form's submit control and the draft banner.

tests/test_browser.py drives Chromium over the same site.
"""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
from pathlib import Path

import pytest
from browser import site_pages
from bs4 import BeautifulSoup
from conftest import make_project, sphinx_build

# Pages Sphinx generates rather than an editor writes: no front matter, no description.
GENERATED = {"search.html", "genindex.html"}


@pytest.fixture(scope="session")
def site(guide) -> Path:
    """The built HTML guide (build/html of the full `nox -s docs` build)."""
    return guide / "html"


# -- Page metadata ---------------------------------------------------------------------------

def test_page_metadata(site):
    problems = []
    for name in site_pages(site):
        soup = BeautifulSoup((site / name).read_text(encoding="utf-8"), "html.parser")
        if soup.html.get("lang") != "en":
            problems.append(f"{name}: <html lang> is {soup.html.get('lang')!r}")
        description = soup.find("meta", attrs={"name": "description"})
        if name not in GENERATED and not (description and description.get("content", "").strip()):
            problems.append(f"{name}: no description (front matter myst: html_meta: description:)")
    assert (site / "404.html").exists()
    # A local build (html_baseurl empty in docs/conf.py) has no sitemap.
    assert not (site / "sitemap.xml").exists()
    assert not problems, "\n".join(problems)


def test_sitemap_only_when_hosted(tmp_path):
    project = make_project(tmp_path)
    build = sphinx_build(project, "html", "-D", "html_baseurl=https://guide.example.org/ldn/")
    assert not build.failed, build.warnings
    sitemap = (build.outdir / "sitemap.xml").read_text(encoding="utf-8")
    assert "<loc>https://guide.example.org/ldn/index.html</loc>" in sitemap
    assert "<loc>https://guide.example.org/ldn/references.html</loc>" in sitemap


# -- Valid HTML: the Nu HTML Checker reports no error on any page -----------------------------

@pytest.fixture(scope="session")
def vnu_jar() -> Path:
    """The Nu HTML Checker (npm package vnu-jar), which `nox -s tests` installs beside its
    virtual environment and names in VNU_JAR: installing is the session's job, not a test's."""
    jar = os.environ.get("VNU_JAR")
    if not jar or not Path(jar).is_file() or not shutil.which("java"):
        pytest.skip("the Nu HTML Checker is installed by `nox -s tests` (VNU_JAR) and needs java")
    return Path(jar)


def test_every_page_is_valid_html(vnu_jar, site):
    pages = [str(site / name) for name in site_pages(site)]
    result = subprocess.run(["java", "-jar", str(vnu_jar), "--errors-only", "--format", "json",
                             *pages], capture_output=True, text=True, timeout=600)
    messages = json.loads(result.stderr or '{"messages": []}')["messages"]
    errors = [f"{m.get('url', '').rpartition('/html/')[2]}:{m.get('lastLine')}: {m['message']}"
              for m in messages if m.get("type") in ("error", "non-document-error")]
    assert not errors, f"{len(errors)} Nu HTML Checker errors:\n" + "\n".join(errors[:40])


def test_every_table_has_a_caption_and_the_search_form_a_submit_control(site):
    problems = []
    for name in site_pages(site):
        soup = BeautifulSoup((site / name).read_text(encoding="utf-8"), "html.parser")
        article = soup.find("article")
        for table in article.find_all("table") if article and name not in GENERATED else []:
            if not (table.caption and table.caption.get_text(strip=True)):
                problems.append(f"{name}: a table without a caption")
        form = soup.select_one("form[role=search]")
        if form is None or not form.select("button[type=submit], input[type=submit]"):
            problems.append(f"{name}: the search form has no submit control")
        if not soup.select_one('link[rel~="icon"][href$="favicon.svg"]'):
            problems.append(f"{name}: no favicon")
    assert (site / "_static" / "favicon.svg").is_file()
    assert not problems, "\n".join(problems)


def test_a_build_without_contact_or_address_is_marked_draft(site, tmp_path):
    """docs/conf.py leaves guide_contact and html_baseurl empty: the pages say it is a draft;
    a build with both set does not."""
    for name in ("index.html", "conditions/depression.html", "patients/handout.html"):
        page = BeautifulSoup((site / name).read_text(encoding="utf-8"), "html.parser")
        banner = page.select_one("article .draft-banner")
        assert banner is not None and "Draft edition" in banner.get_text(), name
    build = sphinx_build(make_project(tmp_path), "html",
                         "-D", "guide_contact=Medicines information, 01234 567890",
                         "-D", "html_baseurl=https://guide.example.org/ldn/")
    assert not build.failed, build.warnings
    assert "draft-banner" not in (build.outdir / "index.html").read_text(encoding="utf-8")


# -- Page weight and citations -----------------------------------------------------------------
# Issue 24: every page at most 100 KB, and the fibromyalgia page at most 60 % of the 1,807
# elements it had in edition 2026.2 (232 KB, two fifths of it citation tooltips).
PAGE_BUDGET_BYTES = 100_000
FIBROMYALGIA_ELEMENT_BUDGET = int(1807 * 0.6)


def element_count(soup: BeautifulSoup) -> int:
    return len(soup.find_all(True))


def heavy_pages(site: Path) -> list[str]:
    sizes = {name: (site / name).stat().st_size for name in site_pages(site)}
    return [f"{name}: {size:,} bytes (budget {PAGE_BUDGET_BYTES:,})"
            for name, size in sorted(sizes.items()) if size > PAGE_BUDGET_BYTES]


def citation_problems(site: Path) -> list[str]:
    """Every inline citation's link must lead to its full reference, by a plain link that the
    keyboard, touch and mouse can all follow: an href (focusable, not hidden) to an existing
    entry of the reference list that holds the reference's text. No part of the reference may
    live in a title attribute (a tooltip: mouse users only)."""
    pages: dict[Path, BeautifulSoup] = {}

    def page(path: Path) -> BeautifulSoup | None:
        if path not in pages:
            pages[path] = (BeautifulSoup(path.read_text(encoding="utf-8"), "html.parser")
                           if path.is_file() else None)
        return pages[path]

    problems = []
    for name in site_pages(site):
        soup = page((site / name).resolve())
        for citation in soup.select("span.cite"):
            links = citation.find_all("a")
            if not links:
                problems.append(f"{name}: the citation {citation.get_text()!r} links nowhere")
            for link in links:
                text, href = link.get_text(), link.get("href", "")
                if link.get("title"):
                    problems.append(f"{name}: {text!r} has a tooltip (title), which only a "
                                    "mouse reaches")
                if link.get("tabindex", "0").lstrip("-") != link.get("tabindex", "0") or (
                        link.find_parent(attrs={"aria-hidden": "true"})):
                    problems.append(f"{name}: {text!r} is out of the keyboard's reach")
                target, _, anchor = href.partition("#")
                if not (href and anchor):
                    problems.append(f"{name}: {text!r} has no link to a reference ({href!r})")
                    continue
                document = page((site / name).parent.joinpath(target).resolve()) if target \
                    else soup
                entry = document.find(id=anchor) if document else None
                if entry is None or "citation" not in entry.get("class", []):
                    problems.append(f"{name}: {text!r} links to {href}, which is no entry of "
                                    "the reference list")
                elif len(entry.get_text(" ", strip=True)) < 40 or not any(
                        word in entry.get_text() for word in re.findall(r"\w{4,}", text)):
                    # the entry names the link's author or year ("Bruun et al., 2024")
                    problems.append(f"{name}: {text!r} links to {href}, whose entry does not "
                                    f"hold its reference ({entry.get_text(strip=True)[:60]!r})")
    return problems


def test_every_page_within_the_weight_budget(site):
    assert not heavy_pages(site), "\n".join(heavy_pages(site))


@pytest.mark.xfail(strict=True, reason="left over from issue 24 (see its closing note): the "
                   "fibromyalgia page has about 1,350 elements (75 % of edition 2026.2's; the "
                   "budget is 60 %): citations, the evidence tables and the figures' data tables")
def test_the_fibromyalgia_page_within_its_element_budget(site):
    page = BeautifulSoup((site / "conditions" / "fibromyalgia.html").read_text(encoding="utf-8"),
                         "html.parser")
    assert element_count(page) <= FIBROMYALGIA_ELEMENT_BUDGET, (
        f"conditions/fibromyalgia.html has {element_count(page):,} elements "
        f"(budget {FIBROMYALGIA_ELEMENT_BUDGET:,}, 60 % of edition 2026.2's 1,807)")


def test_every_citation_leads_to_its_full_reference(site):
    references = BeautifulSoup((site / "references.html").read_text(encoding="utf-8"),
                               "html.parser")
    assert len(references.select("div.citation")) > 20  # the check below has entries to find
    assert not citation_problems(site), "\n".join(citation_problems(site))


def test_the_page_checks_catch_a_tooltip_a_dead_citation_and_a_heavy_page(tmp_path):
    """The checks above on a two-page site with one deliberate fault of each kind."""
    (tmp_path / "references.html").write_text(
        '<div class="citation" id="cite-smith2020" role="listitem"><p>Jane Smith. A trial of '
        "low-dose naltrexone in fibromyalgia. Pain, 1(1):1-2, 2020.</p></div>", encoding="utf-8")
    citations = [
        '<a href="references.html#cite-smith2020">Smith, 2020</a>',  # good
        '<a href="references.html#cite-smith2020" title="Jane Smith. A trial.">Smith, 2020</a>',
        '<a href="references.html#cite-jones2021">Jones, 2021</a>',  # no such entry
        '<a href="references.html#cite-smith2020" tabindex="-1">Smith, 2020</a>',
    ]
    (tmp_path / "page.html").write_text(
        "".join(f'<p><span class="cite">[{link}]</span></p>' for link in citations)
        + "<!--" + "x" * PAGE_BUDGET_BYTES + "-->", encoding="utf-8")
    problems = citation_problems(tmp_path)
    assert len(problems) == 3, problems
    assert "has a tooltip" in problems[0]
    assert "cite-jones2021, which is no entry" in problems[1]
    assert "out of the keyboard's reach" in problems[2]
    assert [problem.split(":")[0] for problem in heavy_pages(tmp_path)] == ["page.html"]
