"""The template every condition page (docs/conditions/*.md) fills in.

A condition page has one Key points box, then these second-level sections in this order, and
links to the one safety chapter. Checked on the Markdown source as Sphinx reads it, so
``nox -s docs`` names the page and line of a missing or misplaced section.
"""

from __future__ import annotations

import re

from . import Problem

SECTIONS = ("The evidence", "Evidence summary", "Rationale", "In practice",
            "What to tell the patient", "Research gaps", "Safety")
KEY_POINTS = re.compile(r"^(```|:::)\{key-points\}|^:class:\s*key-points\b", re.MULTILINE)
SAFETY_LINK = re.compile(r"ldn/safety")
FENCE = re.compile(r"^(```|~~~)")


def headings(text: str, level: int = 2) -> list[tuple[int, str]]:
    """(line, text) of each ATX heading of the given level outside code fences."""
    found, fenced = [], None
    marker = "#" * level + " "
    for number, line in enumerate(text.splitlines(), start=1):
        opening = FENCE.match(line)
        if opening and fenced is None:  # a code block or a directive (```{key-points} ...)
            fenced = opening[1]
        elif fenced and line.strip() == fenced:
            fenced = None
        elif fenced is None and line.startswith(marker):
            found.append((number, line[len(marker):].strip()))
    return found


def check_condition_page(text: str) -> list[Problem]:
    problems = []
    boxes = KEY_POINTS.findall(text)
    if len(boxes) != 1:
        problems.append(Problem(1, f"a condition page has exactly one Key points box (found "
                                   f"{len(boxes)}); add ```{{key-points}} <condition>``` "
                                   "after the title"))
    seen = [(line, title) for line, title in headings(text) if title in SECTIONS]
    titles = [title for _, title in seen]
    for index, section in enumerate(SECTIONS):
        if section not in titles:
            before = next((line for line, title in seen
                           if SECTIONS.index(title) > index), len(text.splitlines()))
            problems.append(Problem(before, f'section "## {section}" is missing; the template '
                                            f"is: {', '.join(SECTIONS)}"))
    ordered = [title for title in titles if title in SECTIONS]
    expected = [section for section in SECTIONS if section in ordered]
    if ordered != expected:
        line = next(line for (line, title), want in zip(seen, expected, strict=False)
                    if title != want)
        problems.append(Problem(line, "sections are out of order; the template is: "
                                      + ", ".join(SECTIONS)))
    if not SAFETY_LINK.search(text):
        problems.append(Problem(1, "a condition page links the safety chapter "
                                   "({doc}`../ldn/safety`)"))
    return problems
