"""The template every condition page (docs/conditions/*.md) fills in: decision order.

A condition page reads the way a prescriber decides (MAGICapp's layers, NICE's "rationale and
impact" under the recommendations): one Key points box, the "On this page" jump row under it,
then these second-level sections in this order. The decision sections come first; the evidence
follows, and the study-by-study narratives last, each a ``{narrative}`` disclosure (collapsed on
screen, expanded in print) rather than a ``###`` heading, so the page's contents list reaches
the decision sections without passing evidence headings. The page links the one safety chapter.

Checked on the Markdown source as Sphinx reads it, so ``nox -s docs`` names the page and line
of a missing or misplaced section, directive or heading.
"""

from __future__ import annotations

import re

from . import Problem

# (title, the jump row's short label); the jump row links the first six.
DECISION_SECTIONS = (
    ("Rationale and impact", "Why"),
    ("In practice", "In practice"),
    ("What to tell the patient", "What to tell the patient"),
    ("Safety summary", "Safety"),
    ("Evidence summary", "Evidence"),
    ("Studies", "Studies"),
)
NARRATIVES = "The evidence, study by study"
SECTIONS = (*(title for title, _ in DECISION_SECTIONS), NARRATIVES, "Research gaps")
# The directive each section must hold (``(section, directive)``), in the section's order.
REQUIRED = (
    ("Rationale and impact", "recommendation-rationale"),
    ("What to tell the patient", "patient-lines"),
    ("Evidence summary", "summary-of-findings"),
    ("Evidence summary", "outcome-figures"),
    ("Studies", "study-table"),
)
KEY_POINTS = re.compile(r"^(```|:::)\{key-points\}|^:class:\s*key-points\b", re.MULTILINE)
JUMP_ROW = re.compile(r"^(```|:::)\{on-this-page\}", re.MULTILINE)
DIRECTIVE = re.compile(r"^(?:```|:::+)\{([a-z-]+)\}")
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
    problems = check_key_points(text)
    seen = [(line, title) for line, title in headings(text) if title in SECTIONS]
    titles = [title for _, title in seen]
    for index, section in enumerate(SECTIONS):
        if section not in titles:
            before = next((line for line, title in seen
                           if SECTIONS.index(title) > index), len(text.splitlines()))
            problems.append(Problem(before, f'section "## {section}" is missing; the template '
                                            f"is: {', '.join(SECTIONS)}"))
    expected = [section for section in SECTIONS if section in titles]
    if titles != expected:
        line = next(line for (line, title), want in zip(seen, expected, strict=False)
                    if title != want)
        problems.append(Problem(line, "sections are out of order; the template is: "
                                      + ", ".join(SECTIONS)))
    problems += check_directives(text)
    problems += [Problem(line, f'"### {title}" is a heading; write each study\'s narrative as '
                               f":::{{narrative}} {title}, so it is collapsed on screen and "
                               "stays out of the page's contents")
                 for line, title in headings(text, 3)]
    if not SAFETY_LINK.search(text):
        problems.append(Problem(1, "a condition page links the safety chapter "
                                   "({doc}`../ldn/safety`)"))
    return problems


def check_key_points(text: str) -> list[Problem]:
    """One Key points box, with the jump row after it and before the first section."""
    boxes = [match.start() for match in KEY_POINTS.finditer(text)]
    if len(boxes) != 1:
        return [Problem(1, f"a condition page has exactly one Key points box (found "
                           f"{len(boxes)}); add ```{{key-points}} <condition>``` after the title")]
    row = JUMP_ROW.search(text)
    first = next((line for line, _ in headings(text)), None)
    line_of_row = text.count("\n", 0, row.start()) + 1 if row else None
    if row is None or row.start() < boxes[0] or (first and line_of_row > first):
        line = text.count("\n", 0, boxes[0]) + 1
        return [Problem(line, "the Key points box needs the jump row under it, before the "
                              "first section: add ```{on-this-page}``` and its closing ```")]
    return []


def check_directives(text: str) -> list[Problem]:
    """Each required directive inside its section (the data's rationale, the SoF, ...); a
    missing section is reported once, as missing."""
    where: dict[str, str] = {}
    section = None
    for line in text.splitlines():
        if line.startswith("## "):
            section = line[3:].strip()
        found = DIRECTIVE.match(line)
        if found and section:
            where.setdefault(found[1], section)
    starts = dict((title, line) for line, title in headings(text))
    return [Problem(starts.get(section, 1),
                    f'section "## {section}" must hold ```{{{directive}}} <condition>```'
                    + (f' (it is under "## {where[directive]}")' if directive in where else ""))
            for section, directive in REQUIRED
            if section in starts and where.get(directive) != section]
