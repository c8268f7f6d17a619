"""Column labels of the guide's own evidence tables, from a stylesheet instead of the page.

Where a table turns into one card per row (narrow screens, guide.css), each cell shows its
column's heading above it. For tables written in the pages, the translator writes that heading
into every cell (``data-label``, adapters/html.py). The summary of findings, the published
meta-analyses and the study table always have the same columns (guideline_tables.py), so their
labels come from ``_static/table-labels.css``, written here from those columns: on the
fibromyalgia page the attributes were 4 KB of the 100 KB budget (issue 24), repeated on every
page, where a stylesheet is loaded once.
"""

from __future__ import annotations

import json
from pathlib import Path

from sphinx.application import Sphinx

from .guideline_tables import META_COLUMNS, SOF_COLUMNS, STUDY_HEADINGS

STYLESHEET = "table-labels.css"
# table class -> its column headings, in order
LABELLED_TABLES = {
    "summary-of-findings": SOF_COLUMNS,
    "published-meta-analyses": META_COLUMNS,
    "study-table": STUDY_HEADINGS,
}
# The cells a card shows first after the row's own first cell (as guide.css does by label).
CARD_ORDER = {"Certainty": -2, "Risk of bias": -2, "Result": -1, "Effect as reported": -1}
# guide.css turns tables of six or more columns into cards below 1000 px, the others below
# 601 px; ``.docutils`` and ``:has(> thead)`` outrank its ``td::before { content:
# attr(data-label) }`` rules.
WIDE = 6


def css_string(text: str) -> str:
    return json.dumps(text, ensure_ascii=False)  # a CSS string as JSON writes it ("\"" etc.)


def labelled_by_css(classes: list[str]) -> bool:
    return any(name in LABELLED_TABLES for name in classes)


def stylesheet() -> str:
    blocks = []
    for name, headings in LABELLED_TABLES.items():
        width = 999 if len(headings) >= WIDE else 600
        cell = f"table.docutils.{name}:has(> thead) > tbody > tr > td"
        rules = [f"  {cell}:nth-child({number})::before {{ content: {css_string(heading)}; }}"
                 for number, heading in enumerate(headings, 1)]
        rules += [f"  {cell}:nth-child({number}) {{ order: {CARD_ORDER[heading]}; }}"
                  for number, heading in enumerate(headings, 1) if heading in CARD_ORDER]
        blocks.append(f"@container (max-width: {width}px) {{\n" + "\n".join(rules) + "\n}\n")
    return ('@charset "utf-8";\n/* Written by the build (ldn_guide/adapters/table_labels.py):'
            " the column labels of the guide's evidence tables shown as cards. */\n"
            + "".join(blocks))


def write_stylesheet(app: Sphinx) -> None:
    """Write the stylesheet into the output's _static (HTML builders) and link it."""
    if app.builder.format != "html":
        return
    target = Path(app.outdir, "_static", STYLESHEET)
    target.parent.mkdir(parents=True, exist_ok=True)
    text = stylesheet()
    if not target.is_file() or target.read_text(encoding="utf-8") != text:
        target.write_text(text, encoding="utf-8")
    app.add_css_file(STYLESHEET)
