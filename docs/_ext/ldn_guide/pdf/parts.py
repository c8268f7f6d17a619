"""The whole guide laid out in two halves at once, one on each core, then printed as one PDF.

WeasyPrint lays out one document in one process, and the whole guide is the build's longest
step (issue 15: it doubled with the evidence profiles). Its chapters each start a new page, so
two halves of them, laid out apart, give the same pages as the whole; what crosses between the
halves is put back afterwards:

* **page numbers**: the halves and the front matter (cover and contents) print no "Page X of
  Y"; once every half's page count is known, a third, nearly empty document draws each page's
  running footer (page number, edition line, draft mark), and ``merge.py`` lays it over its
  page as a pagination artifact;
* **the printed contents**: laid out last, with each chapter's page number written in (the
  halves' anchors say where each chapter starts);
* **links between the halves**: a link to an anchor in the other half is written as a
  placeholder web address (:data:`ACROSS`), which ``merge.py`` turns back into a link to the
  named destination once both halves are in one file.

Plain functions on HTML (BeautifulSoup), no WeasyPrint: ``render.py`` lays the parts out.
"""

from __future__ import annotations

import dataclasses

from bs4 import BeautifulSoup

# A link whose target is in the other half: WeasyPrint keeps it as a web link (it drops, with
# an error, a link to an anchor its document lacks), and merge.py makes it internal again.
ACROSS = "https://across-parts.invalid/#"
# The contents' page numbers, written in once the halves are laid out (print.css reads it).
PAGE_ATTRIBUTE = "data-page"
# Until then: a number as wide as any the contents will print.
PAGE_PLACEHOLDER = "888"
CHAPTER = 'span[id^="document-"] + section'
# The chapter that opens a half goes without its marker (an empty span, which WeasyPrint would
# put on a page of its own before the page break; links lead to the chapter's own id, see
# printable.py), so print.css's rules for "marker + chapter" are given to it by this class.
OPENS_HALF = "opens-half"


@dataclasses.dataclass(frozen=True)
class Unit:
    """A piece of the guide's body that starts a page: the opening section, or a chapter (its
    ``document-`` marker and section) with the toctree wrapper it sits in."""

    elements: tuple  # BeautifulSoup tags, in order
    wrapper: object | None
    weight: int  # the length of its text: a fair measure of its layout time


@dataclasses.dataclass(frozen=True)
class GuideSplit:
    """The printable whole guide, cut in two where the layout work is shared most evenly.
    Each process makes the HTML of its own part from it (after a fork, both hold it)."""

    head: str
    language: str
    body_class: str
    cover: object
    contents: object  # the printed contents (a <nav>)
    halves: tuple[tuple[Unit, ...], tuple[Unit, ...]]

    @property
    def contents_targets(self) -> tuple[str, ...]:
        """The anchors the printed contents lists, in order."""
        return tuple(link["href"].removeprefix(ACROSS) for link in self.contents.select("a"))


def split_guide(document) -> GuideSplit | None:
    """Cut the printable whole guide (a BeautifulSoup document, changed in place) in two;
    None when it has fewer than two units to share out."""
    body = document.main.find("div", class_="body") if document.main else None
    units = chapter_units(body) if body else []
    if len(units) < 2:
        return None
    cut = even_cut([unit.weight for unit in units])
    return GuideSplit(
        head=str(document.head), language=document.html.get("lang", "en"),
        body_class=" ".join(document.body.get("class", [])),
        cover=document.find("header", class_="cover"), contents=document.find("nav"),
        halves=(tuple(units[:cut]), tuple(units[cut:])))


def front_html(split: GuideSplit) -> str:
    """The front matter (cover and printed contents) as a document; its page numbers are
    placeholders until :func:`numbered_front`."""
    for link in split.contents.select('a[href^="#"]'):  # each leads into a half
        link[PAGE_ATTRIBUTE] = PAGE_PLACEHOLDER
        link["href"] = ACROSS + link["href"][1:]
    return document_html(split, str(split.cover) + str(split.contents), "")


def half_html(split: GuideSplit, index: int) -> str:
    """One half as a document: links to the other half become :data:`ACROSS` links."""
    units = list(split.halves[index])
    tags = [tag for unit in units for element in unit.elements
            for tag in (element, *element.find_all(True))]
    ids = {tag["id"] for tag in tags if tag.get("id")}
    for tag in tags:
        href = tag.get("href", "") if tag.name == "a" else ""
        if href.startswith("#") and href[1:] not in ids:
            tag["href"] = ACROSS + href[1:]
    if len(units[0].elements) == 2:  # a chapter opens the half: without its marker
        section = units[0].elements[1]
        section["class"] = [*section.get("class", []), OPENS_HALF]
        units[0] = dataclasses.replace(units[0], elements=(section,))
    return document_html(split, "", body_html(units))


def chapter_units(body) -> list[Unit]:
    """The guide's body as units that each start a page."""
    units = []
    for child in body.find_all(recursive=False):
        if "toctree-wrapper" in child.get("class", []):
            for section in child.select(f":scope > {CHAPTER}"):
                marker = section.find_previous_sibling("span")
                units.append(Unit((marker, section), child, len(section.get_text())))
        else:
            units.append(Unit((child,), None, len(child.get_text())))
    return units


def even_cut(weights: list[int]) -> int:
    """Where to cut the units so the halves weigh as nearly the same as the order allows
    (the first half slightly lighter: its process lays out the front and merges, too)."""
    total = sum(weights)
    best, best_cost, running = 1, total, 0
    for index in range(1, len(weights)):
        running += weights[index - 1]
        cost = max(running * 1.1, total - running)
        if cost < best_cost:
            best, best_cost = index, cost
    return best


def body_html(units) -> str:
    """The units' HTML inside the guide's body, each chapter inside its toctree wrapper again
    (print.css and the PDF's tags see the same structure as in the whole guide)."""
    parts, open_wrapper = [], None
    for unit in units:
        wrapper = unit.wrapper
        if wrapper is not open_wrapper:
            if open_wrapper is not None:
                parts.append("</div>")
            if wrapper is not None:
                parts.append(f'<div class="{" ".join(wrapper.get("class", []))}">')
            open_wrapper = wrapper
        parts.extend(str(element) for element in unit.elements)
    if open_wrapper is not None:
        parts.append("</div>")
    return f'<div class="body">{"".join(parts)}</div>'


def document_html(split: GuideSplit, before_main: str, main: str) -> str:
    main_html = f"<main>{main}</main>" if main else ""
    return (f'<!DOCTYPE html><html lang="{split.language}">{split.head}'
            f'<body class="{split.body_class}">{before_main}{main_html}</body></html>')


def numbered_front(front: str, numbers: dict[str, int]) -> str:
    """The front matter with the contents' page numbers written in."""
    document = BeautifulSoup(front, "html.parser")
    for link in document.select(f"a[{PAGE_ATTRIBUTE}]"):
        link[PAGE_ATTRIBUTE] = str(numbers[link["href"].removeprefix(ACROSS)])
    return str(document)


FOOTER_PAGE = '<div class="footer-page"></div>'


def footers_html(pages: int, language: str) -> str:
    """A document of ``pages`` empty pages, whose margins carry the running footer."""
    return (f'<!DOCTYPE html><html lang="{language}"><head><meta charset="utf-8">'
            f"<title>Running footers</title></head>"
            f"<body>{FOOTER_PAGE * pages}</body></html>")


def css_string(text: str) -> str:
    """``text`` as a CSS string literal."""
    return '"' + text.replace("\\", "\\\\").replace('"', '\\"').replace("\n", " ") + '"'


def footer_css(edition: str, draft: bool) -> str:
    """What the footer document prints in its margins (print.css gives the page's size,
    margins and type)."""
    mark = css_string("Draft edition") if draft else "none"
    return (".footer-page + .footer-page { break-before: page; }"
            "@page { @top-center { content: none; }"
            f" @bottom-left {{ content: {css_string(edition)}; }}"
            f" @top-right {{ content: {mark}; }} }}")


# The front and the halves print no running footer: the footer document does.
WITHOUT_FOOTER = ("@page { @bottom-left { content: none; } @bottom-right { content: none; }"
                  " @top-right { content: none; } }")
# A half's first page is not the guide's first: it keeps the chapter's running header, and
# has no top margin from <body> (which the whole guide shows on its cover only).
HALF = (WITHOUT_FOOTER + "@page :first { @top-center { content: string(chapter); } }"
        f".{OPENS_HALF} > h2 {{ string-set: chapter content(text); }}"
        "body { margin-top: 0; }")
