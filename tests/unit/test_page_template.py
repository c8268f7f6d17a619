"""rules.page_template: the condition page's decision order, one fault per case."""

from __future__ import annotations

import pytest
from ldn_guide.rules import Problem
from ldn_guide.rules.guideline.checks import sentences
from ldn_guide.rules.page_template import SECTIONS, check_condition_page

# A page in the template's order; each fault below changes one thing.
VALID = """\
# Pain

```{key-points} pain
```

```{on-this-page}
```

An introduction; see {doc}`../ldn/safety`.

## Rationale and impact

```{recommendation-rationale} pain
```

## In practice

Review it.

## What to tell the patient

```{patient-lines} pain
```

## Safety summary

It blocks opioids.

## Evidence summary

```{summary-of-findings} pain
```

```{outcome-figures} pain
```

## Studies

```{study-table} pain
```

## The evidence, study by study

(pain-trial)=
:::{narrative} Trial 2020: randomised controlled trial
The trial.
:::

## Research gaps

A larger trial.
"""


def line_of(text: str, fragment: str) -> int:
    [number] = [n for n, line in enumerate(text.splitlines(), 1) if line.startswith(fragment)]
    return number


def test_the_valid_page_follows_the_template():
    assert check_condition_page(VALID) == []


ORDER = ", ".join(SECTIONS)
# (id, old text, new text, start of the faulty line, message)
FAULTS = [
    ("no-rationale-section",
     "## Rationale and impact\n\n```{recommendation-rationale} pain\n```\n\n",
     "", "## In practice",
     f'section "## Rationale and impact" is missing; the template is: {ORDER}'),
    ("a-study-heading-floods-the-contents",
     "(pain-trial)=\n:::{narrative} Trial 2020: randomised controlled trial\nThe trial.\n:::",
     "### Trial 2020: randomised controlled trial\n\nThe trial.", "### Trial 2020",
     '"### Trial 2020: randomised controlled trial" is a heading; write each study\'s '
     "narrative as :::{narrative} Trial 2020: randomised controlled trial, so it is collapsed "
     "on screen and stays out of the page's contents"),
    ("no-jump-row",
     "```{on-this-page}\n```\n\n", "", "```{key-points}",
     "the Key points box needs the jump row under it, before the first section: add "
     "```{on-this-page}``` and its closing ```"),
    ("study-table-in-the-evidence-summary",
     "## Studies\n\n```{study-table} pain\n```",
     "```{study-table} pain\n```\n\n## Studies", "## Studies",
     'section "## Studies" must hold ```{study-table} <condition>``` (it is under '
     '"## Evidence summary")'),
    ("no-rationale-directive",
     "```{recommendation-rationale} pain\n```", "Because.", "## Rationale and impact",
     'section "## Rationale and impact" must hold ```{recommendation-rationale} <condition>```'),
]


@pytest.mark.parametrize(("old", "new", "fragment", "message"),
                         [fault[1:] for fault in FAULTS], ids=[fault[0] for fault in FAULTS])
def test_one_fault_one_problem(old, new, fragment, message):
    assert VALID.count(old) == 1
    text = VALID.replace(old, new)
    assert check_condition_page(text) == [Problem(line_of(text, fragment), message)]


def test_sections_out_of_order_are_named_at_the_first_misplaced_one():
    moved = VALID.replace("## Safety summary\n\nIt blocks opioids.\n\n", "")
    moved = moved.replace("## Research gaps", "## Safety summary\n\nIt blocks opioids.\n\n"
                                              "## Research gaps")
    problems = check_condition_page(moved)
    assert [p.message for p in problems] == [f"sections are out of order; the template is: "
                                             f"{ORDER}"]
    assert problems[0].line == line_of(moved, "## Evidence summary")


@pytest.mark.parametrize(("text", "count"), [
    ("The trial was null.", 1),
    ("Two trials. D.M. Bear funded one, e.g. through PharmoRx. Then 3 more!", 3),
    ('It was null. "Quoted." (Aside.) End', 4),
    ("Doses of 1–5 mg; OCEBM level 5. Mechanism only.", 2),
])
def test_sentences_are_counted_as_a_reader_counts_them(text, count):
    assert sentences(text) == count
