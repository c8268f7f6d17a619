"""The clinical content of the built guide: template, citations, grades, glossary, handout."""

from __future__ import annotations

import datetime as dt
import posixpath
import re

import pytest
import textstat
from bs4 import BeautifulSoup
from conftest import REPO
from ldn_guide.conventions import WEB_ONLY_PAGES
from ldn_guide.rules import claims, page_template

CONDITIONS = ("depression", "dissociation", "fibromyalgia")
# A key point is graded evidence, a good-practice point or a labelled hypothesis.
GRADE = re.compile(r"\(((strong|conditional) (for|against); )?"
                   r"(high|moderate|low|very low)-certainty evidence\)|\(good practice\)"
                   r"|\(hypothesis; OCEBM level 5\)")
WORDING = re.compile(r"^(Offer|Consider|Do not offer|Do not|Tell)\b")
SOURCE_ERRORS = list(claims.SOURCE_ERRORS)  # one list: ldn_guide/rules/claims.py


def page(guide, name: str) -> BeautifulSoup:
    return BeautifulSoup((guide / "html" / f"{name}.html").read_text(), "html.parser")


def content_pages(guide) -> list[str]:
    names = []
    for path in sorted((guide / "html").rglob("*.html")):
        name = path.relative_to(guide / "html").with_suffix("").as_posix()
        if not name.startswith(("_", "pdf/")) and name not in ("genindex", "search", "404"):
            names.append(name)
    return names


def article(soup: BeautifulSoup):
    return soup.select_one("article[role=main]") or soup.select_one("article")


@pytest.mark.parametrize("name", CONDITIONS)
def test_condition_page_source_follows_the_template(name):
    """The rule the build applies (ldn_guide/rules/page_template.py), on the real page."""
    source = (REPO / "docs" / "conditions" / f"{name}.md").read_text(encoding="utf-8")
    assert page_template.check_condition_page(source) == []


def test_the_template_rule_names_a_missing_section():
    source = "# Page\n\n:::{admonition} Key points\n:class: key-points\n:::\n\n## Studies\n"
    messages = [p.message for p in page_template.check_condition_page(source)]
    assert any('section "## Rationale and impact" is missing' in m for m in messages), messages


@pytest.mark.parametrize("name", CONDITIONS)
def test_condition_page_key_points_are_graded_uncited_and_warn_about_opioids(guide, name):
    soup = article(page(guide, f"conditions/{name}"))
    boxes = soup.select(".admonition.key-points")
    assert len(boxes) == 1
    items = boxes[0].select("li")
    assert 3 <= len(items) <= 7
    for item in items:
        text = " ".join(item.get_text().split())
        assert GRADE.search(text), f"unlabelled key point: {text}"
        assert WORDING.match(text), f"key point not worded offer/consider/do not/tell: {text}"
        assert not item.select('a[href*="#cite-"]'), f"inline citation in a key point: {text}"
        assert item.select("a[href]"), f"key point without a link to its evidence: {text}"
    assert "opioid" in boxes[0].get_text().lower()
    assert boxes[0].select_one('a[href*="ldn/safety.html"]'), "key points must link Safety"
    assert soup.select_one("table.evidence-table") and soup.select_one("figure.evidence-figure")


def uncited_paragraphs(soup: BeautifulSoup) -> list[str]:
    missing = []
    for block in soup.select("p, li"):
        if block.find_parent(["table", "figure", "nav"]) or block.find_parent(class_="glossary"):
            continue
        if block.name == "p" and block.find_parent("li"):
            continue  # judged as part of its list item
        if block.name == "li" and block.find_parent(class_="toctree-wrapper"):
            continue
        classes = block.get("classes") or block.get("class") or []
        if {"nonfactual", "review-dates", "admonition-title", "rubric", "caption"} & set(classes):
            continue
        if block.find_parent(class_="nonfactual") or block.find_parent(id="bibliography"):
            continue
        if block.find_parent(class_=["key-points", "recommendation-rationale"]):
            continue  # a recommendation links to its evidence instead (checked on its own)
        if block.select_one('a[href*="#cite-"]'):
            continue
        missing.append(" ".join(block.get_text().split())[:100])
    return missing


def test_every_factual_paragraph_is_cited(guide):
    missing = {}
    for name in content_pages(guide):
        if name in ("references", "glossary"):
            continue
        found = uncited_paragraphs(article(page(guide, name)))
        if found:
            missing[name] = found
    assert missing == {}


def test_every_page_shows_valid_review_dates(guide):
    for name in content_pages(guide):
        line = article(page(guide, name)).select_one("p.review-dates").get_text()
        last, due = re.findall(r"\d{4}-\d{2}-\d{2}", line)
        assert dt.date.fromisoformat(last) < dt.date.fromisoformat(due)


def test_every_abbreviation_is_in_the_glossary(guide):
    glossary = article(page(guide, "glossary"))
    terms = {" ".join(dt_.get_text().replace("¶", "").split())
             for dt_ in glossary.select("dl.glossary dt")}
    used = {}
    for name in content_pages(guide):
        # The review logs are audit records in the reviewers' terms (web only, not for the desk).
        if name in ("references", "glossary", *WEB_ONLY_PAGES):
            continue
        soup = article(page(guide, name))
        for cite in soup.select(".cite, .citation-flag"):
            cite.decompose()
        for word in re.findall(r"\b[A-Z][A-Za-z]*[A-Z][A-Za-z0-9]*(?:-[A-Z0-9]+)*\b",
                               soup.get_text(" ")):
            if re.fullmatch(r"[A-Z]{2,5}-\d+", word):
                continue  # a recommendation's ID (FM-1), not an abbreviation
            if re.fullmatch(r"[IVX]+", word):
                continue  # a Roman numeral (AGREE II), not an abbreviation
            if sum(ch.isupper() for ch in word) >= 2 and word not in terms:
                used.setdefault(word, name)
    assert used == {}


def test_handout_reads_at_grade_8_and_smog_9_or_below_and_warns_about_opioids(guide):
    soup = article(page(guide, "patients/handout"))
    for noise in soup.select(".cite, .review-dates, table, h1, h2, h3, .headerlink"):
        noise.decompose()
    text = " ".join(soup.get_text(" ").split())
    assert textstat.flesch_kincaid_grade(text) <= 8
    assert textstat.smog_index(text) <= 9
    assert "I take naltrexone; it blocks opioid pain medicines" in text


def test_retracted_paper_is_never_cited_without_its_label(guide):
    for name in content_pages(guide):
        for link in article(page(guide, name)).select('a[href$="#cite-wang2008"]'):
            flag = link.find_next_sibling(class_="citation-flag")
            assert flag and "Retracted" in flag.get_text(), name


def test_none_of_the_source_articles_errors_appear(guide):
    for name in content_pages(guide):
        if name in WEB_ONLY_PAGES:
            continue  # the review logs name the errors they answer
        text = " ".join(article(page(guide, name)).get_text(" ").split())
        for error in SOURCE_ERRORS:
            assert not re.search(error, text), f"{name}: {error}"


def test_every_condition_page_links_the_one_safety_chapter(guide):
    names = content_pages(guide)
    assert [name for name in names if "safety" in name] == ["ldn/safety"]
    conditions = [name for name in names if name.startswith("conditions/")]
    assert conditions == [f"conditions/{name}" for name in CONDITIONS]
    for name in conditions:
        targets = {posixpath.normpath(posixpath.join(posixpath.dirname(name), link["href"]))
                   .partition("#")[0] for link in article(page(guide, name)).select("a[href]")
                   if "//" not in link["href"]}
        assert "ldn/safety.html" in targets, f"{name} does not link the safety chapter"
