"""Recommendations and GRADE profiles in the built guide: one source, rendered and published.

The data is docs/data/conditions/*.yaml (rules: ldn_guide/rules/guideline/); these tests read the
real guide, built once per session (the ``guide`` fixture), and recommendations.json beside it.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from bs4 import BeautifulSoup
from ldn_guide.rules.svg_figures import svg_problems

DOCS = Path(__file__).resolve().parents[1] / "docs"

CONDITIONS = ("depression", "dissociation", "fibromyalgia")


def page(guide, name: str) -> BeautifulSoup:
    return BeautifulSoup((guide / "html" / f"{name}.html").read_text(encoding="utf-8"),
                         "html.parser")


def published(guide) -> dict:
    return json.loads((guide / "html" / "recommendations.json").read_text(encoding="utf-8"))


def squash(text: str) -> str:
    return " ".join(text.split())


def test_recommendations_json_validates_against_the_shipped_schema(guide):
    import jsonschema

    shipped = guide / "html" / "recommendations.schema.json"
    assert shipped.read_bytes() == (DOCS / "data" / "recommendations.schema.json").read_bytes()
    schema = json.loads(shipped.read_text(encoding="utf-8"))
    jsonschema.Draft202012Validator.check_schema(schema)
    jsonschema.Draft202012Validator(schema).validate(published(guide))


def test_recommendations_json_is_sorted_and_ids_unique(guide):
    text = (guide / "html" / "recommendations.json").read_text(encoding="utf-8")
    assert text == json.dumps(json.loads(text), ensure_ascii=False, indent=2,
                              sort_keys=True) + "\n"
    ids = [rec["id"] for rec in json.loads(text)["recommendations"]]
    assert len(ids) == len(set(ids))


def test_every_recommendation_reads_the_same_on_its_page_and_in_the_data(guide):
    for rec in published(guide)["recommendations"]:
        soup = page(guide, f"conditions/{rec['condition']}")
        item = soup.find(id=rec["anchor"]) if rec["anchor"] else None
        if rec["status"] == "withdrawn":
            assert item is None, f"{rec['id']} is withdrawn but still printed"
            assert rec["id"] in page(guide, "changelog").get_text()
            continue
        assert item is not None and item.find_parent(class_="key-points"), rec["id"]
        assert squash(item.select_one(".recommendation-text").get_text()) == rec["text"]
        assert rec["certainty_label"] in squash(item.get_text())
        assert rec["url"] == f"conditions/{rec['condition']}.html#{rec['anchor']}"
        for outcome in rec["outcomes"]:  # each outcome it rests on is linked and exists
            fragment = outcome["url"].split("#")[1]
            assert item.select_one(f'a[href="#{fragment}"]'), (rec["id"], fragment)
            assert soup.find(id=fragment).find_parent("table", class_="summary-of-findings")


def test_the_quick_reference_rows_read_as_the_pages(guide):
    soup = page(guide, "quick-reference")
    rows = soup.select("table.quick-reference-rows")
    assert rows, "docs/quick-reference.md shows no {quick-reference-rows} table"
    by_id = {rec["id"]: rec for rec in published(guide)["recommendations"]}
    links = rows[0].select('a[href*="conditions/"][href*="#"]')
    shown = {link["href"].split("#")[1].upper(): squash(link.get_text()) for link in links
             if link["href"].split("#")[1].upper() in by_id}
    assert shown, "the quick reference shows no recommendation"
    for rec_id, text in shown.items():
        assert text == by_id[rec_id]["text"], rec_id


@pytest.mark.parametrize("name", CONDITIONS)
def test_each_condition_page_shows_summary_of_findings_and_forest_figures(guide, name):
    soup = page(guide, f"conditions/{name}")
    [table] = soup.select("table.summary-of-findings")
    assert "evidence-table" in table["class"]
    rows = table.select("tbody tr")
    assert rows and all(row.get("id", "").startswith(f"outcome-{name}-") for row in rows)
    assert len(rows) <= 7  # GRADE: at most seven outcomes
    assert [squash(th.get_text()) for th in table.select("thead th")] == [
        "Outcome (importance)", "№ participants (studies)", "Relative effect (95% CI)",
        "Anticipated absolute effect", "Certainty", "What it means"]
    for row in rows:
        assert "⊕" in row.get_text(), row["id"]
        effect = squash(row.select("td")[3].get_text())
        assert effect and not effect.startswith("Not reported"), row["id"]
    # The footnotes come directly after the table, before anything else.
    notes = table.find_parent(class_="table-wrapper").find_next_sibling()
    assert "summary-of-findings-notes" in notes["class"], "footnotes not under the table"
    assert notes.select("li"), "no footnote names a downgrade"
    figures = soup.select("figure.evidence-figure.forest-plot")
    ids = [row["id"] for row in rows]
    for figure in figures:
        assert figure["id"].removeprefix("figure-") in ids
        # The drawing is its own SVG file (page weight), its title the image's alt text.
        region = figure.select_one(".figure-scroll[role=region][tabindex='0'][aria-labelledby]")
        assert soup.find(id=region["aria-labelledby"]) is figure.figcaption  # named by it
        image = region.select_one("img")
        assert image and image["alt"].startswith("Forest-style plot"), figure["id"]
        assert image["src"] == f"../_images/{figure['id']}.svg"
        svg = (guide / "html" / "_images" / f"{figure['id']}.svg").read_text(encoding="utf-8")
        assert BeautifulSoup(svg, "html.parser").svg.title.get_text() == image["alt"]
        assert svg_problems(svg, figure["id"]) == []
        assert figure.figcaption.get_text().count(". ") == 0  # one sentence
        assert figure.select_one("details table.figure-data-table th[scope=row]")
    assert soup.select_one("table.study-table"), "no study table"


def test_a_published_pooled_estimate_is_labelled_as_the_authors(guide):
    soup = page(guide, "conditions/fibromyalgia")
    figure = soup.find(id="figure-outcome-fibromyalgia-pain-45mg")
    table = figure.select_one("table.figure-data-table").get_text()
    assert "Mean difference in pain −0.86 (95% CI −1.20 to −0.51)" in table
    assert "Meta-analysis (its authors' pooled result)" in table
    drawing = (guide / "html" / "_images" / f"{figure['id']}.svg").read_text(encoding="utf-8")
    assert "Authors' pooled estimate" in drawing
    assert "may pool some of the same trials" in drawing


def test_fibromyalgia_shows_absolute_effects_with_their_comparator_risk(guide):
    """Vivid dreams (RR 2.41 on a 13% placebo risk) and any adverse event (INNOVA's arms),
    each with the comparator risk's source in a footnote citing it."""
    soup = page(guide, "conditions/fibromyalgia")
    row = soup.find(id="outcome-fibromyalgia-adverse-effects")
    relative, absolute = (squash(cell.get_text()) for cell in row.select("td")[2:4])
    assert "Vivid dreams: RR 2.41 (1.77 to 3.28)" in relative
    assert "Any adverse event: RR 0.95 (0.74 to 1.24)" in relative
    assert ("Vivid dreams: 130 per 1,000 with placebo, 313 (230 to 426) with LDN: 183 more "
            "(100 to 296 more) per 1,000") in absolute
    assert "Any adverse event: 720 per 1,000 with placebo, 688 (531 to 889) with LDN" in absolute
    notes = squash(soup.select_one(".summary-of-findings-notes").get_text())
    assert "Placebo risk of vivid dreams: 13% (130 per 1,000)" in notes
    assert "36 of 50 (72%, 720 per 1,000)" in notes
    assert soup.select_one('.summary-of-findings-notes a[href$="#cite-mpr2012aapm"]')


def test_a_row_with_nothing_to_pool_is_one_narrative_sentence(guide):
    soup = page(guide, "conditions/fibromyalgia")
    row = soup.find(id="outcome-fibromyalgia-pain-45mg")
    relative, absolute = (squash(cell.get_text()) for cell in row.select("td")[2:4])
    assert relative == "Not pooled"
    assert absolute.startswith("3 trials, 187 people: one small crossover")
    assert "Pooled by" not in row.get_text()  # the reviews are in their own table


def test_published_meta_analyses_have_their_own_table(guide):
    soup = page(guide, "conditions/fibromyalgia")
    tables = soup.select("table.published-meta-analyses")
    captions = [squash(table.caption.get_text()).rstrip("¶ ") for table in tables]
    assert captions == [
        "What published meta-analyses found: Pain, LDN 4.5 mg a day vs placebo, 3 weeks to 3 "
        "months",
        "What published meta-analyses found: Adverse effects (vivid dreams, nausea, any adverse "
        "event, serious adverse events)"]
    assert [squash(th.get_text()) for th in tables[0].select("thead th")] == [
        "Review", "Trials (n)", "Estimate (95% CI)", "Overlap with the trials above", "Note"]
    vatvani = squash(tables[0].select("tbody tr")[0].get_text())
    assert "4 (222)" in vatvani
    assert "Mean difference in pain −0.86 (95% CI −1.20 to −0.51)" in vatvani


@pytest.mark.parametrize("name", CONDITIONS)
def test_the_evidence_tables_labels_come_from_their_stylesheet(guide, name):
    """The summary of findings, published meta-analyses and study tables carry no data-label
    (page weight): table-labels.css gives each column's heading, so its headings must be the
    ones the page prints."""
    from ldn_guide.adapters.table_labels import LABELLED_TABLES, STYLESHEET

    soup = page(guide, f"conditions/{name}")
    assert soup.select_one(f'link[href^="../_static/{STYLESHEET}"]')
    css = (guide / "html" / "_static" / STYLESHEET).read_text(encoding="utf-8")
    found = 0
    for table_class, headings in LABELLED_TABLES.items():
        for table in soup.select(f"table.{table_class}"):
            found += 1
            assert [squash(th.get_text()) for th in table.select("thead th")] == list(headings)
            assert not table.select("tbody [data-label]"), table_class
            for number, heading in enumerate(headings, 1):
                assert (f".{table_class}:has(> thead) > tbody > tr > td:nth-child({number})"
                        f'::before {{ content: "{heading}"; }}') in css
    assert found >= 2
