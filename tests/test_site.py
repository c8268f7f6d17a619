"""The built HTML site, read without a browser: page metadata, the sitemap, valid HTML
(the Nu HTML Checker), table captions, the search form's submit control and the draft banner.

tests/test_browser.py drives Chromium over the same site.
"""

from __future__ import annotations

import json
import os
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
