"""The search data, the literature date and the AGREE II table in a build (issue 26).

A small guide with one condition: built with good search data it shows the searches table, the
PRISMA flow diagram with its text alternative, the screened records, the stated review interval,
"Literature current through" on the condition page and ``temporalCoverage`` in its JSON-LD,
with no warning; built with deliberate faults it names the file, the line and the fix for each.
"""

from __future__ import annotations

import json
import re

import pytest
from conftest import DOCS, FRONT_MATTER, ROOTS, sphinx_build

CONDITION = (ROOTS / "clean" / "docs" / "data" / "conditions" / "pain.yaml").read_text("utf-8")
PAGE = FRONT_MATTER + """# Pain

```{key-points} pain
```

```{on-this-page}
```

## Rationale and impact

```{recommendation-rationale} pain
```

## In practice

{.nonfactual}
Text.

## What to tell the patient

```{patient-lines} pain
```

## Safety summary

{.nonfactual}
See `ldn/safety` in the real guide.

## Evidence summary

```{summary-of-findings} pain
```

```{outcome-figures} pain
```

## Studies

```{study-table} pain
```

## The evidence, study by study

{.nonfactual}
Text.

## Research gaps

{.nonfactual}
Text.
"""
METHODS = FRONT_MATTER + """# Methods

(sources-searched)=
## Sources searched

```{searches-table}
```

```{prisma-flow}
```

```{screened-records}
```

{.nonfactual}
Searched again every {review-interval}`interval`.

## AGREE II

```{agree-table}
```
"""
INDEX = FRONT_MATTER + """# Fixture guide

A fact {cite:p}`smith2020`.

```{toctree}
conditions/pain
methods
references
```
"""
SEARCHES = """review_interval_months: 12
searches:
  - id: E1
    source: Earlier searches
    access: not-recorded
    date_run: null
    date_text: Not recorded
    strategy: null
    conditions: [pain]
    found: null
    note: Not reproducible.
  - id: S1
    source: PubMed
    access: stored-copy
    interface: Stored copies
    date_run: 2025-12-01
    strategy: low-dose naltrexone pain
    conditions: [pain]
    found: 3
    hits:
      - {rank: 1, record: smith2020, url: "https://example.org/1"}
      - {rank: 2, record: smith2020, url: "https://example.org/2"}
      - {rank: 3, record: other, url: "https://example.org/3"}
records:
  - {id: smith2020, what: Smith 2020, decision: included, study: smith2020}
  - {id: other, what: A trial in vasculitis, decision: excluded, reason: other-condition,
     detail: Vasculitis}
other_methods: []
totals: {found: 3, duplicates: 1, screened: 2, excluded: 1, awaiting: 0, included: 1,
         other_methods: 0}
"""


def agree_yaml(first_target: str = "{doc: methods}") -> str:
    from ldn_guide.rules.agree import DOMAINS

    entries = []
    for number in range(1, 24):
        domain = next(name for name, items in DOMAINS.items() if number in items)
        target = first_target if number == 1 else "{ref: sources-searched}"
        entries.append(f"  - {{item: {number}, domain: {domain}, text: Item {number}., "
                       f"status: met, where: [{target}], note: Where it is met.}}")
    return "items:\n" + "\n".join(entries) + "\n"


def build(project, searches: str = SEARCHES, agree: str | None = None, last_reviewed=None):
    page = PAGE if last_reviewed is None else PAGE.replace(
        FRONT_MATTER, f"---\nlast_reviewed: {last_reviewed}\nnext_review: 2099-01-01\n---\n\n")
    data = {"conditions/pain.yaml": CONDITION, "searches.yaml": searches,
            "agree.yaml": agree or agree_yaml()}
    for name in ("searches.schema.json", "agree.schema.json"):
        data[name] = (DOCS / "data" / name).read_text("utf-8")
    root = project(pages={"index.md": INDEX, "methods.md": METHODS, "conditions/pain.md": page},
                   data=data)
    return sphinx_build(root)


def line_of(text: str, needle: str) -> int:
    return next(number for number, line in enumerate(text.splitlines(), 1) if needle in line)


@pytest.fixture
def good(project):
    return build(project)


def test_good_search_data_renders_without_a_warning(good):
    assert good.returncode == 0, good.warnings
    methods = (good.outdir / "methods.html").read_text("utf-8")
    assert '<svg xmlns="http://www.w3.org/2000/svg" class="prisma-flow" role="img"' in methods
    assert 'aria-describedby="prisma-flow-text"' in methods
    assert 'id="prisma-flow-text"' in methods  # the text alternative the SVG points to
    text = " ".join(re.sub(r"<[^>]+>", " ", methods).split())
    assert "Identification: 3 records found by 1 search of stored copies" in text
    assert "1 duplicate removed" in text
    assert "Included: 1 study in the guide, 1 from these searches and 0 from" in text
    assert "low-dose naltrexone pain" in text and "every 12 months" in text
    assert "condition outside the guide: Vasculitis" in text
    page = (good.outdir / "conditions" / "pain.html").read_text("utf-8")
    # Its own line under the review dates (which keep their two dates).
    assert re.search(r'<p class="review-dates">[^<]*</p>\s*<p class="literature-date '
                     r'nonfactual">Literature current through: 2025-12-01', page), page
    assert re.search(r"Literature current through: 2025-12-01 \(latest search, of stored "
                     r"copies of public pages, not the live databases; see <a [^>]*href="
                     r'"\.\./methods\.html#sources-searched"', page), page
    ld = json.loads(re.search(r'<script type="application/ld\+json">(.*?)</script>', page,
                              re.S).group(1))
    assert ld["temporalCoverage"] == "../2025-12-01"


def test_the_flow_diagram_is_deterministic(good):
    first = re.search(r'<svg [^>]*class="prisma-flow".*?</svg>',
                      (good.outdir / "methods.html").read_text("utf-8"), re.S).group(0)
    from ldn_guide.adapters import prisma
    from ldn_guide.rules import searches

    assert "currentColor" in first and "<title id=\"prisma-title\">" in first
    counts = {"found": 3, "duplicates": 1, "screened": 2, "excluded": 1, "awaiting": 0,
              "included": 1, "other_methods": 0}
    again = [prisma.draw_flow(counts, {"other-condition": 1}, 1, "2025-12-01",
                              searches.ACCESS["stored-copy"].split(",")[0], "E1: x", "t")
             for _ in range(2)]
    assert again[0] == again[1]


def test_faulty_search_data_names_file_line_and_fix(project):
    faulty = (SEARCHES.replace("    found: 3\n", "    found: 4\n")
              .replace("study: smith2020}", "study: jones2021}"))
    result = build(project, searches=faulty, agree=agree_yaml("{doc: nowhere}"),
                   last_reviewed="2027-06-01")
    assert result.failed
    assert "Traceback" not in result.warnings
    assert "unknown document" not in result.warnings  # a missing page is named once, by us
    found_line = line_of(faulty, "found: 4")
    record_line = line_of(faulty, "study: jones2021")
    for pattern in (
        rf"data/searches\.yaml:{found_line}: WARNING: search S1: found is 4 but 3 hits are "
        r"listed; record every hit, or correct found \[ldn_guide\.searches\]",
        rf'data/searches\.yaml:{record_line}: WARNING: record "smith2020": included study '
        r'"jones2021" is not a study in docs/data/conditions/',
        r'data/searches\.yaml:\d+: WARNING: study "smith2020" \(pain\) is in a condition file '
        r"but no record includes it",
        r"conditions/pain\.md:1: WARNING: literature for pain was last searched on 2025-12-01, "
        r"more than 12 months before this page's last review \(2027-06-01\); run `nox -s "
        r"surveillance`",
        r'data/agree\.yaml:2: WARNING: AGREE II item 1: no page "nowhere" in the guide; fix '
        r"the doc target",
    ):
        assert re.search(pattern, result.warnings), (pattern, result.warnings)


def test_totals_that_do_not_add_up_are_refused(project):
    faulty = SEARCHES.replace("duplicates: 1, screened: 2", "duplicates: 0, screened: 2")
    result = build(project, searches=faulty)
    assert result.failed
    line = line_of(faulty, "totals:")
    assert re.search(rf"data/searches\.yaml:{line}: WARNING: totals\.duplicates is 0, but the "
                     r"hits and records give 1", result.warnings), result.warnings
    assert re.search(rf"data/searches\.yaml:{line}: WARNING: totals: found 3 - duplicates 0 "
                     r"must equal screened 2", result.warnings), result.warnings


def test_an_agree_table_without_every_item_is_refused(project):
    text = agree_yaml()
    lines = text.splitlines(keepends=True)
    broken = "".join(lines[:5] + lines[6:]).replace("{item: 3,", "{item: 2,")
    result = build(project, agree=broken)
    assert result.failed
    assert re.search(r"data/agree\.yaml:4: WARNING: AGREE II item 2 is listed twice \(first at "
                     r"items\.1\); merge the two", result.warnings), result.warnings
    assert re.search(r"data/agree\.yaml:1: WARNING: AGREE II items missing: 3, 5; every item 1 "
                     r"to 23 needs an entry", result.warnings), result.warnings
