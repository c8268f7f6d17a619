"""The guide's single page (the HTML Sphinx writes for all pages in one), parsed and cleaned up
for print once: every PDF is cut from it (printable.py).

Plain functions on HTML (BeautifulSoup), no WeasyPrint and no Sphinx.
"""

from __future__ import annotations

import base64
import functools

from bs4 import BeautifulSoup

from ..conventions import AUTO_CAPTION_CLASS

# About a third of a page of table text at the PDFs' table type size (7.5 pt): shorter tables
# stay whole with their heading; a longer one starts where it is and breaks between rows (kept
# whole up to a page, a table moved to the next page and left half a page empty).
KEEP_TOGETHER_CHARACTERS = 800

def cleaned_body(single_page_body: str):
    """The single page's body, cleaned up for print.

    Its tags are listed once and sorted by plain tests, not found by one CSS selection per
    step: soupsieve walks the whole guide (some 40,000 tags) for each selector, half a second
    in all. The steps keep their order: ids are made unique after the headings' ¶ links go,
    and a table's length is measured after its generated caption goes."""
    page = BeautifulSoup(f'<div class="body">{single_page_body}</div>', "html.parser")
    body = page.div
    tags = body.find_all(True)
    anchors = [tag for tag in tags if tag.name == "a" and has_class(tag, "headerlink")]
    tags = without(tags, anchors)
    seen: set[str] = set()
    for tagged in tags:  # pages merged into one reuse ids like "id1"
        if "id" in tagged.attrs:
            while tagged["id"] in seen:
                tagged["id"] += "-again"
            seen.add(tagged["id"])
    # The generated caption goes: the heading above the table is printed with it.
    tags = without(tags, [tag for tag in tags
                          if tag.name == "caption" and has_class(tag, AUTO_CAPTION_CLASS)])
    for wrapper in (tag for tag in tags if tag.name == "div" and has_class(tag, "table-wrapper")):
        for name in ("role", "tabindex", "aria-label"):  # nothing scrolls on paper
            wrapper.attrs.pop(name, None)
        # A table short enough for one page is kept whole, with its heading (print.css); a
        # longer one breaks between rows, so its heading never stands alone on a page.
        if len(wrapper.get_text()) < KEEP_TOGETHER_CHARACTERS:
            wrapper["class"] = [*wrapper.get("class", []), "keep-together"]
    figures = [tag for tag in tags if tag.name == "svg" and tag.find_parent("figure")]
    inside_figures = {id(tag) for svg in figures for tag in svg.find_all(True)}
    for svg in figures:
        # As an image, the figure gets its title as PDF alt text, and WeasyPrint's HTML
        # stylesheet parser does not see (and warn about) SVG's style attributes.
        data = base64.b64encode(str(svg).encode()).decode()
        alt = svg.title.get_text() if svg.title else ""
        svg.replace_with(page.new_tag("img", src=f"data:image/svg+xml;base64,{data}", alt=alt))
    for link in tags:
        if (link.name == "a" and link.get("href", "").startswith("#document-")
                and id(link) not in inside_figures):
            # singlehtml writes "#document-references#cite-x" (sphinx-doc/sphinx#14221).
            link["href"] = "#" + link["href"].split("#")[-1]
    return body


def has_class(tag, name: str) -> bool:
    return name in tag.get("class", ())


def without(tags: list, removed: list) -> list:
    """Decompose the ``removed`` tags; return ``tags`` without them and what they held
    (bs4's ``decomposed`` test costs a walk up the tree for each tag asked)."""
    gone = {id(tag) for element in removed for tag in (element, *element.find_all(True))}
    for element in removed:
        element.decompose()
    return [tag for tag in tags if id(tag) not in gone]


@functools.lru_cache(maxsize=1)
def shared_cleaned_body(single_page_body: str):
    """:func:`cleaned_body`, once per single page: the "short" worker makes two PDFs of one
    page each from it (a parse of the whole guide, 0.4 s, saved), each from copies of its
    parts (:func:`one_page_with_its_references`)."""
    return cleaned_body(single_page_body)
