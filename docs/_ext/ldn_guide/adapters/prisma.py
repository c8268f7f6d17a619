"""The PRISMA 2020 flow diagram of the guide's searches, as plain inline SVG.

Drawn from the counts of :func:`ldn_guide.rules.searches.flow` with nothing but string
formatting: deterministic (same data, same bytes), text as text, colours from the page
(``currentColor``, so the light and dark schemes and print all work), ids prefixed with
``prisma-``, ``role="img"`` with a ``<title>``, and ``aria-describedby`` pointing at the text
alternative printed under it (:func:`flow_text`).
"""

from __future__ import annotations

import textwrap
from html import escape

from ..rules.searches import REASONS

COLUMN_X = (10, 262, 514)
BOX_WIDTH = 236
LINE = 15
PAD = 9
GAP = 30
CHARS = 33  # characters per line at 12 px in a 236 px box (bold lines: 30)


def plural(count: int, word: str, words: str | None = None) -> str:
    return f"{count} {word if count == 1 else words or word + 's'}"


def wrap(lines: list[str]) -> list[tuple[str, bool]]:
    """(line, bold) of at most CHARS characters: a box's title and its count are bold."""
    out: list[tuple[str, bool]] = []
    for number, line in enumerate(lines):
        bold = number < 2
        out += [(part, bold) for part in textwrap.wrap(line, CHARS - 3 if bold else CHARS)
                or [""]]
    return out


def reason_lines(counts: dict, reasons: dict[str, int]) -> list[str]:
    return ["Records excluded:", f"n = {counts['excluded']}"] + [
        f"- {REASONS[reason]}: {number}" for reason, number in sorted(reasons.items())]


def boxes(counts: dict, reasons: dict[str, int], searches: int, date: str, how: str,
          other: str) -> list[tuple]:
    """(row, column, lines) of each box, in the order PRISMA 2020 reads them: its title,
    its count, then what the count holds."""
    assessed = counts["screened"] - counts["excluded"]
    total = counts["included"] + counts["other_methods"]
    return [
        (0, 0, ["Records identified:", f"n = {counts['found']}",
                f"({plural(searches, 'search', 'searches')} of {how}, {date})"]),
        (0, 1, ["Duplicates removed:", f"n = {counts['duplicates']}",
                "(another copy, mirror, registry entry or protocol of a record already found)"]),
        (0, 2, ["Studies from earlier searches:", f"n = {counts['other_methods']}",
                f"({other})"]),
        (1, 0, ["Records screened:", f"n = {counts['screened']}"]),
        (1, 1, reason_lines(counts, reasons)),
        (2, 0, ["Records assessed for inclusion:", f"n = {assessed}",
                "(screened minus excluded)"]),
        (2, 1, ["Awaiting assessment:", f"n = {counts['awaiting']}"]),
        (3, 0, ["Studies included in the guide:", f"n = {total}",
                f"({counts['included']} from these searches, {counts['other_methods']} from "
                "earlier searches)"]),
    ]


def draw_flow(counts: dict, reasons: dict[str, int], searches: int, date: str, how: str,
              other: str, described_by: str) -> str:
    """The flow diagram as an ``<svg>`` element."""
    laid = [(row, column, wrap(lines)) for row, column, lines in boxes(counts, reasons,
                                                                       searches, date, how,
                                                                       other)]
    heights = {}
    for row, _, lines in laid:
        heights[row] = max(heights.get(row, 0), len(lines) * LINE + 2 * PAD)
    header = 26
    tops, y = {}, header
    for row in sorted(heights):
        tops[row] = y
        y += heights[row] + GAP
    height = y - GAP + 10
    width = COLUMN_X[2] + BOX_WIDTH + 10
    parts = [f'<svg xmlns="http://www.w3.org/2000/svg" class="prisma-flow" role="img" '
             f'aria-labelledby="prisma-title" aria-describedby="{described_by}" '
             f'viewBox="0 0 {width} {height}" width="{width}" height="{height}" '
             # guide.css scales it to the column on screen; the PDF draws it as an image
             # (pdf/printable.py), sized by print.css from these two attributes' ratio.
             'font-family="DejaVu Sans, sans-serif" font-size="12" fill="currentColor">',
             '<title id="prisma-title">PRISMA 2020 flow diagram of the searches behind the '
             'guide</title>',
             f'<text x="{COLUMN_X[0]}" y="16" font-weight="bold">Identification of studies via '
             'recorded searches</text>',
             f'<text x="{COLUMN_X[2]}" y="16" font-weight="bold">Via other methods</text>']
    centre = {}
    for row, column, lines in laid:
        x, top = COLUMN_X[column], tops[row]
        box_height = heights[row]
        centre[(row, column)] = (x, top, box_height)
        parts.append(f'<rect x="{x}" y="{top}" width="{BOX_WIDTH}" height="{box_height}" '
                     'fill="none" stroke="currentColor" stroke-width="1"/>')
        for number, (line, bold) in enumerate(lines):
            weight = ' font-weight="bold"' if bold else ""
            parts.append(f'<text x="{x + PAD}" y="{top + PAD + 11 + number * LINE}"{weight}>'
                         f"{escape(line, quote=False)}</text>")
    parts += arrows(centre)
    parts.append("</svg>")
    return "".join(parts)


def head(x: float, y: float, dx: int, dy: int) -> str:
    """An arrowhead at (x, y) pointing along (dx, dy), one of the four axis directions; drawn
    as a triangle, not an SVG marker, which WeasyPrint does not draw."""
    back_x, back_y = x - 7 * dx, y - 7 * dy
    side_x, side_y = 3.5 * dy, 3.5 * dx
    return (f'<path d="M {x} {y} L {back_x + side_x} {back_y + side_y} '
            f'L {back_x - side_x} {back_y - side_y} z"/>')


def arrows(at: dict) -> list[str]:
    def line(x1, y1, x2, y2) -> str:
        dx, dy = (x2 > x1) - (x2 < x1), (y2 > y1) - (y2 < y1)
        return (f'<path d="M {x1} {y1} L {x2} {y2}" fill="none" stroke="currentColor" '
                f'stroke-width="1"/>{head(x2, y2, dx, dy)}')

    def down(row) -> str:
        x, top, height = at[(row, 0)]
        below = at[(row + 1, 0)][1]
        return line(x + BOX_WIDTH / 2, top + height, x + BOX_WIDTH / 2, below)

    def right(row) -> str:
        x, top, height = at[(row, 0)]
        return line(x + BOX_WIDTH, top + height / 2, COLUMN_X[1], top + height / 2)

    x, top, height = at[(0, 2)]
    target_x, target_top, target_height = at[(3, 0)]
    joined_y = target_top + target_height / 2
    other = (f'<path d="M {x + BOX_WIDTH / 2} {top + height} L {x + BOX_WIDTH / 2} {joined_y} '
             f'L {target_x + BOX_WIDTH} {joined_y}" fill="none" stroke="currentColor" '
             f'stroke-width="1"/>{head(target_x + BOX_WIDTH, joined_y, -1, 0)}')
    return [right(0), down(0), right(1), down(1), right(2), down(2), other]


def flow_text(counts: dict, reasons: dict[str, int], searches: int, date: str, how: str,
              other: str) -> list[str]:
    """The diagram in words, one line per stage (its text alternative)."""
    excluded = "; ".join(f"{REASONS[reason]}: {number}"
                         for reason, number in sorted(reasons.items()))
    total = counts["included"] + counts["other_methods"]
    return [
        f"Identification: {plural(counts['found'], 'record')} found by "
        f"{plural(searches, 'search', 'searches')} of {how} ({date}); "
        f"{plural(counts['duplicates'], 'duplicate')} removed (another copy, mirror, registry "
        "entry or protocol of a record already found).",
        f"Screening: {plural(counts['screened'], 'record')} screened; {counts['excluded']} "
        f"excluded ({excluded or 'none'}); {counts['awaiting']} awaiting assessment.",
        f"Included: {plural(total, 'study', 'studies')} in the guide, {counts['included']} from "
        f"these searches and {counts['other_methods']} from earlier searches ({other}).",
    ]
