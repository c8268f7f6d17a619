""""Before you supply" end to end: the example patients through the Python engine and through
the web checklist in Chromium (the same answers), the handout and the Safety chapter against the
table, the published screening.json, and the build failing on a faulty table."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest
import yaml
from browser import DESKTOP, axe_violations, check_keyboard, describe, new_page, serve
from conftest import REPO, make_project, sphinx_build
from ldn_guide.rules import screening, screening_patients

TABLE = REPO / "docs" / "data" / "screening.yaml"
SCHEMA = screening.schema_at(TABLE.with_name(screening.SCHEMA_NAME))

PATIENTS = yaml.safe_load((REPO / "tests" / "screening" / "patients.yaml").read_text("utf-8"))
PAGE = "supply-checklist.html"


def answers(example: dict) -> dict:
    patient = dict(PATIENTS[example["like"]]) if "like" in example else {}
    patient.update(example.get("answers", {}))
    patient.update(example.get("set", {}))
    for key in example.get("drop", []):
        patient.pop(key)
    return patient


def expected(example: dict, decision: dict) -> None:
    assert decision["action"] == example["action"], decision
    assert [reason["rule"] for reason in decision["reasons"]] == example["reasons"], decision
    if "ask" in example:
        assert [item["question"] for item in decision["ask"]] == example["ask"], decision


@pytest.fixture(scope="module")
def table() -> dict:
    data, problems = screening.load(TABLE, SCHEMA)
    assert not problems
    return data


def test_there_are_at_least_20_example_patients_with_each_threshold():
    examples = PATIENTS["patients"]
    assert len(examples) >= 20
    short = {answers(e).get("opioid_last_dose_days_ago") for e in examples
             if answers(e).get("opioid_last_kind") in ("short-acting", "tramadol", "codeine")}
    assert {6, 7, 10, 11} <= short
    long = {answers(e).get("opioid_last_dose_days_ago") for e in examples
            if answers(e).get("opioid_last_kind") in ("methadone", "buprenorphine")}
    assert {13, 14} <= long
    assert {e["action"] for e in examples} == {"do-not-supply", "ask-first", "supply-and-counsel"}


@pytest.mark.parametrize("example", PATIENTS["patients"], ids=lambda e: e["name"])
def test_example_patient_in_the_python_engine(table, example):
    patient = answers(example)
    assert screening_patients.check_patient(patient, SCHEMA) is None
    expected(example, screening.evaluate(table, patient))


# -- The web checklist in Chromium ------------------------------------------------------------

@pytest.fixture(scope="module")
def site(guide) -> Path:
    return guide / "html"


@pytest.fixture(scope="module")
def served(site):
    with serve(site) as base:
        yield base


@pytest.fixture(scope="module")
def browser_page(chromium, served):
    outside: list[str] = []
    page = new_page(chromium, served, outside, viewport=DESKTOP)
    page.goto(served + PAGE)
    yield page, outside
    page.context.close()


def fill(page, patient: dict) -> None:
    """Answer the form as a pharmacist would: every control, absent keys left 'not asked'."""
    page.click("button.screening-reset")
    page.wait_for_function("document.getElementById('sc-age_years').value === ''")
    for key, value in patient.items():
        kind = SCHEMA.key_type(key)
        if kind == "boolean":
            page.select_option(f"#sc-{key}", "true" if value else "false")
        elif kind == "enum":
            page.select_option(f"#sc-{key}", value)
        elif value is None or value == []:
            page.check(f"#sc-{key}-none")
        elif kind == "list":
            page.fill(f"#sc-{key}", ", ".join(value))
        else:
            page.fill(f"#sc-{key}", str(value))


def outcome(page) -> dict:
    return page.evaluate("""() => {
      const out = document.getElementById('screening-outcome');
      return {action: out.dataset.action,
              reasons: [...out.querySelectorAll('li[data-rule]')].map(li => li.dataset.rule),
              ask: [...out.querySelectorAll('li[data-question]')].map(li => li.dataset.question)};
    }""")


@pytest.mark.browser
@pytest.mark.parametrize("example", PATIENTS["patients"], ids=lambda e: e["name"])
def test_example_patient_in_the_web_checklist(browser_page, table, example):
    page, outside = browser_page
    patient = answers(example)
    fill(page, patient)
    shown = outcome(page)
    python = screening.evaluate(table, patient)
    assert shown == {"action": python["action"],
                     "reasons": [reason["rule"] for reason in python["reasons"]],
                     "ask": [item["question"] for item in python["ask"]]}
    expected(example, {"action": shown["action"],
                       "reasons": [{"rule": rule} for rule in shown["reasons"]],
                       "ask": [{"question": q} for q in shown["ask"]]})
    # the page's engine, given the same answers, returns the Python engine's decision exactly
    assert page.evaluate("p => window.ldnScreening.evaluate(p)", patient) == python
    assert outside == []


@pytest.mark.browser
@pytest.mark.parametrize("scheme", ["light", "dark"])
def test_checklist_page_passes_axe_and_the_csp_with_an_outcome_shown(chromium, served, scheme):
    page = new_page(chromium, served, color_scheme=scheme, viewport=DESKTOP)
    page.add_init_script("window.__csp = []; document.addEventListener("
                         "'securitypolicyviolation', e => window.__csp.push(e.violatedDirective));")
    page.goto(served + PAGE)
    # answered without scrolling (furo's back-to-top button, shown after a scroll, is furo's)
    page.evaluate("""() => {
      document.getElementById('sc-opioids_now').value = 'tramadol';
      document.getElementById('sc-surgery_planned_days').value = '3';
      document.getElementById('screening-form').dispatchEvent(new Event('input'));
    }""")
    assert outcome(page)["action"] == "do-not-supply"
    assert page.evaluate("window.__csp") == []
    violations = axe_violations(page)
    page.context.close()
    assert violations == [], describe(violations)


@pytest.mark.browser
def test_checklist_works_by_keyboard(chromium, served):
    page = new_page(chromium, served, viewport={"width": 390, "height": 844})
    assert check_keyboard(page, served + PAGE) == []
    page.goto(served + PAGE)
    page.focus("#sc-pregnant")
    page.keyboard.press("ArrowDown")  # "Yes", without a pointer
    assert outcome(page)["action"] == "do-not-supply"
    assert "pregnant" in outcome(page)["reasons"]
    page.context.close()


@pytest.mark.browser
def test_checklist_works_offline_from_the_file_system(chromium, site):
    """No request at all: the table is in the page, the script is the site's own."""
    context = chromium.new_context()
    requests: list[str] = []
    context.on("request", lambda request: requests.append(request.url))
    page = context.new_page()
    page.goto((site / PAGE).as_uri())
    page.select_option("#sc-breastfeeding", "true")
    assert outcome(page)["action"] == "do-not-supply"
    assert all(url.startswith(("file:", "data:")) for url in requests), requests
    context.close()


# -- One table, and the guide's other pages agree with it --------------------------------------

def normal(text: str) -> str:
    return " ".join(text.replace("**", "").replace("–", "-").lower().split())


def sections(markdown: str) -> dict[str, str]:
    parts = re.split(r"^## (.+)$", markdown, flags=re.M)
    return {title.strip(): body for title, body in zip(parts[1::2], parts[2::2], strict=True)}


def cites(text: str) -> set[str]:
    return {key for group in re.findall(r"\{cite:p\}`([^`]+)`", text) for key in group.split(",")}


SAFETY = sections((REPO / "docs" / "ldn" / "safety.md").read_text("utf-8"))


def rules(table):
    return [rule for question in table["questions"] for rule in question["rules"]]


def test_each_rule_agrees_with_the_safety_row_it_cites(table):
    """A rule's quote is in its Safety row and in the rule's own words; its label citations are
    the Safety section's; a rule resting on a contraindication row says do not supply."""
    checked = 0
    for rule in rules(table):
        if "safety" not in rule:
            assert any(s["kind"] == "recommendation" for s in rule["sources"]), rule["id"]
            continue
        where = rule["safety"]
        section = SAFETY[where["section"]]
        row = section
        if "row" in where:  # the row whose first cell is, or else starts with, its name
            rows = {line.split("|")[1].strip(): line for line in section.splitlines()
                    if line.startswith("| ") and line[2:].startswith(where["row"])}
            [row] = [rows[where["row"]]] if where["row"] in rows else rows.values()
        assert normal(where["quote"]) in normal(row), (rule["id"], where)
        assert normal(where["quote"]) in normal(rule["says"] + " " + rule["reason"]), rule["id"]
        assert screening_cites(rule) <= cites(section), rule["id"]
        if where["section"] == "Contraindications":
            assert rule["action"] == "do-not-supply", rule["id"]
        checked += 1
    assert checked >= 20


def screening_cites(rule) -> set[str]:
    return {s["cite"] for s in rule["sources"] if s.get("cite")}


def test_the_card_and_safety_give_the_same_pregnancy_advice():
    card = normal((REPO / "docs" / "quick-reference.md").read_text("utf-8"))
    assert "do not start ldn in pregnancy" in normal(SAFETY["Special populations"])
    assert "do not start ldn in pregnancy" in card
    assert "pregnancy and breastfeeding**: only if the benefit" not in card


HANDOUT = sections((REPO / "docs" / "patients" / "handout.md").read_text("utf-8"))
# The handout's "do not take if / tell your pharmacist" sections.
HANDOUT_SECTIONS = ("Who must not take LDN?", "Before you start", "Other medicines",
                    "Who must I tell that I take it?")


def handout_lines() -> list[str]:
    """Each bullet and paragraph of those sections (the wallet card's text aside)."""
    lines = []
    for title in HANDOUT_SECTIONS:
        body = re.sub(r":::\{admonition\}.*?\n:::", "", HANDOUT[title], flags=re.S)
        for block in re.split(r"\n\s*\n", body):
            block = re.sub(r"\{\.nonfactual\}\n", "", block).strip()
            items = re.split(r"^- ", block, flags=re.M) if block.startswith("- ") else [block]
            lines += [" ".join(item.split()) for item in items if item.strip()
                      and not item.strip().endswith(":")]
    return lines


def test_the_handout_and_the_checklist_agree_both_ways(table):
    """Every handout line maps to a rule or counselling point; every mapping names a line."""
    phrases = [(owner["id"], phrase) for owner in [*rules(table), *table["counsel"]]
               for phrase in owner.get("handout", [])]
    lines = handout_lines()
    assert len(lines) >= 10
    unmapped = [line for line in lines
                if not any(normal(phrase) in normal(line) for _, phrase in phrases)]
    assert unmapped == []
    dangling = [(owner, phrase) for owner, phrase in phrases
                if not any(normal(phrase) in normal(line) for line in lines)]
    assert dangling == []
    # every do-not-supply rule that rests on a contraindication is one the patient is told about
    for rule in rules(table):
        if rule.get("safety", {}).get("section") == "Contraindications":
            assert rule.get("handout"), rule["id"]


def test_screening_json_is_the_table_and_matches_its_schema(guide, table):
    import jsonschema

    html = guide / "html"
    published = json.loads((html / "screening.json").read_text("utf-8"))
    schema = json.loads((html / "screening.schema.json").read_text("utf-8"))
    jsonschema.Draft202012Validator.check_schema(schema)
    assert schema["$schema"] == "https://json-schema.org/draft/2020-12/schema"
    assert published.pop("$schema") == "screening.schema.json"
    jsonschema.Draft202012Validator(schema).validate(published)
    assert published == table
    # the page embeds the same table (never typed twice)
    page = (html / PAGE).read_text("utf-8")
    embedded = re.search(r'<script type="application/json" id="screening-data">(.*?)</script>',
                         page, re.S).group(1).replace("<\\/", "</")
    assert json.loads(embedded) == {"$schema": "screening.schema.json", **table}
    assert "screening.js" in page and "screening.js" not in (html / "index.html").read_text()


# -- The build fails on a faulty table --------------------------------------------------------

def test_the_build_fails_on_conflicting_rules_naming_file_and_line(tmp_path):
    text = (REPO / "tests" / "screening" / "faults" / "conflict.yaml").read_text("utf-8")
    root = make_project(tmp_path, data={"screening.yaml": text})
    result = sphinx_build(root, "html")
    assert result.failed
    assert re.search(r"data/screening\.yaml:49: WARNING: question interval: rules under-7 "
                     r"\(do-not-supply\) and met \(supply\) give different actions for the same "
                     r"answers.* \[ldn_guide\.screening\]", result.warnings), result.warnings


def test_the_build_fails_on_a_rule_without_source_or_an_unknown_action(faults):
    assert faults.failed
    for line, message in ((27, "rule no-source has no source"),
                          (50, 'rule unknown-action: unknown action "refuse"')):
        assert re.search(rf"data/screening\.yaml:{line}: WARNING: .*{message}.*"
                         r"\[ldn_guide\.screening\]", faults.warnings), (message, faults.warnings)
